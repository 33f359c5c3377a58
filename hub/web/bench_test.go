package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Target: a page of 10,000 detections renders in < 200 ms (query and HTML,
// measured end to end over loopback HTTP).
//
//	go test -run '^$' -bench DetectionsPage -benchtime 10x ./hub/web/
func BenchmarkDetectionsPage(b *testing.B) {
	ts, _ := newTestServer(b, 10000, 0)
	c := client(b)
	login(b, c, ts.URL)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		resp, err := c.Get(ts.URL + "/detections?limit=10000")
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.Count(string(body), "<tr") != 10001 {
			b.Fatalf("status %d, %d rows", resp.StatusCode, strings.Count(string(body), "<tr")-1)
		}
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/page")
}
