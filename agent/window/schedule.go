package window

import (
	"fmt"
	"strings"
	"time"
)

// Schedule says whether captures are wanted at a time.
type Schedule interface {
	Open(t time.Time) bool
}

// Night is open from sunset + SunsetOffset to the next sunrise +
// SunriseOffset at Lat, Lon; all day in a polar night, never under the
// midnight sun.
type Night struct {
	Lat, Lon                    float64
	SunsetOffset, SunriseOffset time.Duration
}

// Open implements Schedule.
func (n Night) Open(t time.Time) bool {
	// The days whose night can hold t: named by their local solar date.
	solar := t.UTC().Add(time.Duration(n.Lon / 15 * float64(time.Hour)))
	for _, d := range []time.Time{solar.AddDate(0, 0, -1), solar} {
		_, set, kind := Sun(d, n.Lat, n.Lon)
		switch kind {
		case PolarNight:
			if sameDay(solar, d) {
				return true
			}
			// The morning after a polar night: open until sunrise.
			rise, _, k := Sun(solar, n.Lat, n.Lon)
			if k == PolarNight || k == Normal && t.Before(rise.Add(n.SunriseOffset)) {
				return true
			}
			continue
		case MidnightSun:
			continue
		}
		rise, _, kind2 := Sun(d.AddDate(0, 0, 1), n.Lat, n.Lon)
		switch kind2 {
		case PolarNight: // the night goes on: open until the end of that day
			rise = time.Date(d.Year(), d.Month(), d.Day()+2, 0, 0, 0, 0, time.UTC)
		case MidnightSun:
			continue
		}
		if !t.Before(set.Add(n.SunsetOffset)) && t.Before(rise.Add(n.SunriseOffset)) {
			return true
		}
	}
	return false
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// Span is a daily span of local time, [Start, End) in minutes after
// midnight; End < Start crosses midnight.
type Span struct{ Start, End int }

// ParseSpan reads "HH:MM-HH:MM".
func ParseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Span{}, fmt.Errorf("%q: want HH:MM-HH:MM", s)
	}
	start, err1 := clock(a)
	end, err2 := clock(b)
	if err1 != nil || err2 != nil || start == end {
		return Span{}, fmt.Errorf("%q: want HH:MM-HH:MM with two different times", s)
	}
	return Span{start, end}, nil
}

func clock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Fixed is open during any of Spans, in local time of Loc.
type Fixed struct {
	Spans []Span
	Loc   *time.Location
}

// Open implements Schedule.
func (f Fixed) Open(t time.Time) bool {
	lt := t.In(f.Loc)
	m := lt.Hour()*60 + lt.Minute()
	for _, s := range f.Spans {
		if s.Start < s.End && m >= s.Start && m < s.End || s.Start > s.End && (m >= s.Start || m < s.End) {
			return true
		}
	}
	return false
}
