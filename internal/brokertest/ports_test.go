package brokertest

import "testing"

// TestFreePortsDistinct checks the addresses handed out together differ.
func TestFreePortsDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range FreePorts(t, 64) {
		if seen[a] {
			t.Fatalf("address %s handed out twice", a)
		}
		seen[a] = true
	}
}
