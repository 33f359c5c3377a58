package camera

import (
	"testing"
	"time"
)

// TestNameTime reads the capture times that phones and trap cameras write
// into file names, and nothing from names whose digits are no date and
// time.
func TestNameTime(t *testing.T) {
	zone := time.FixedZone("trap", 2*3600)
	at := func(y, mo, d, h, mi, s int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, s, 0, zone) }
	for _, tc := range []struct {
		name string
		want time.Time // zero: no time
	}{
		{"20231130_165304.jpg", at(2023, 11, 30, 16, 53, 4)},                // phone (the sticky cards)
		{"/inbox/sub/IMG_20231130_165304.jpg", at(2023, 11, 30, 16, 53, 4)}, // directories ignored
		{"PXL_20231130_165304123.jpg", at(2023, 11, 30, 16, 53, 4)},         // milliseconds after the seconds
		{"20220622000459-108-snapshot.jpg", at(2022, 6, 22, 0, 4, 59)},      // light trap
		{"141-20220916221959-snapshot.jpg", at(2022, 9, 16, 22, 19, 59)},    // a number before it
		{"01-20231110214539-snapshot.jpg", at(2023, 11, 10, 21, 45, 39)},    //
		{"Screenshot_2023-11-30-16-53-04.jpg", at(2023, 11, 30, 16, 53, 4)}, // separated fields
		{"trap 2023-11-30 16.53.04.jpeg", at(2023, 11, 30, 16, 53, 4)},      //
		{"2023-11-30T16:53:04.jpg", at(2023, 11, 30, 16, 53, 4)},            //
		{"cam2_20240229-235959.jpg", at(2024, 2, 29, 23, 59, 59)},           // leap day
		{"frame.jpg", time.Time{}},                                          // no digits
		{"DSC_0390.JPG", time.Time{}},                                       // a counter
		{"20231130.jpg", time.Time{}},                                       // a date without a time
		{"20231130_1653.jpg", time.Time{}},                                  // no seconds
		{"120231130165304.jpg", time.Time{}},                                // inside a longer number
		{"20231130_1653041234.jpg", time.Time{}},                            // too many digits after the time
		{"20231331_165304.jpg", time.Time{}},                                // month 13
		{"20230229_120000.jpg", time.Time{}},                                // 29 February 2023
		{"20231130_246000.jpg", time.Time{}},                                // hour 24
		{"19991231_235959.jpg", time.Time{}},                                // before 2000
		{"2023-11_30 16.53.04.jpg", time.Time{}},                            // mixed date separators
		{"2023-11-30 16.53:04.jpg", time.Time{}},                            // mixed time separators
		{"snapshot-00000000000000.jpg", time.Time{}},                        // zeros
	} {
		got, ok := NameTime(tc.name, zone)
		if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
			t.Errorf("NameTime(%q) = %v, %v; want %v", tc.name, got, ok, tc.want)
		}
	}
	if got, ok := NameTime("20231130_165304.jpg", nil); !ok || got.Location() != time.UTC {
		t.Errorf("nil location: %v, %v; want UTC", got, ok)
	}
}
