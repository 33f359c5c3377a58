package camera

import (
	"path/filepath"
	"time"
)

// File-name times. Phones and trap cameras name their images after the
// moment they took them, and many write no Exif time at all: the 18
// sticky-card photos in ../shared/realframes/sticky are named like
// 20231130_165304.jpg and carry no DateTimeOriginal, while the light
// traps' snapshots are named like 20220622000459-108-snapshot.jpg. A frame
// copied into the inbox later would otherwise get the copy's time.

// NameTime reads a capture time from the base name of path: the first
// date and time of day written as YYYYMMDDhhmmss, or with one separator
// ('_', '-', 'T' or ' ') between YYYYMMDD and hhmmss, or as YYYY-MM-DD and
// hh-mm-ss (separators '-', '_', '.', ':', ' ', 'T'), as phones (IMG_,
// PXL_ with milliseconds after the seconds, Screenshot_) and trap
// cameras write them. The digits must not be part of a longer number
// (milliseconds after the seconds excepted), the date must exist and lie
// in 2000-2099, and the time is read in loc (nil means UTC). ok is false
// when the name holds no such time.
func NameTime(path string, loc *time.Location) (t time.Time, ok bool) {
	if loc == nil {
		loc = time.UTC
	}
	name := filepath.Base(path)
	for i := 0; i < len(name); i++ {
		if !isDigit(name[i]) || (i > 0 && isDigit(name[i-1])) {
			continue
		}
		if t, ok := stampAt(name, i, loc); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// stampAt parses a date and time starting at name[i] (see NameTime).
func stampAt(name string, i int, loc *time.Location) (time.Time, bool) {
	var f [6]int // year, month, day, hour, minute, second
	pos := i
	// Date: YYYYMMDD or YYYY-MM-DD (one separator kind between the fields).
	if n, ok := digits(name, pos, 8); ok {
		f[0], f[1], f[2] = n/10000, n/100%100, n%100
		pos += 8
	} else if y, ok := digits(name, pos, 4); ok && pos+10 <= len(name) && isDateSep(name[pos+4]) && name[pos+7] == name[pos+4] {
		m, ok1 := digits(name, pos+5, 2)
		d, ok2 := digits(name, pos+8, 2)
		if !ok1 || !ok2 {
			return time.Time{}, false
		}
		f[0], f[1], f[2] = y, m, d
		pos += 10
	} else {
		return time.Time{}, false
	}
	// Time: right after the date, or after one separator.
	if pos < len(name) && isTimeSep(name[pos]) {
		pos++
	}
	if n, ok := digits(name, pos, 6); ok {
		f[3], f[4], f[5] = n/10000, n/100%100, n%100
		pos += 6
	} else if h, ok := digits(name, pos, 2); ok && pos+8 <= len(name) && isTimeSep(name[pos+2]) && name[pos+5] == name[pos+2] {
		m, ok1 := digits(name, pos+3, 2)
		s, ok2 := digits(name, pos+6, 2)
		if !ok1 || !ok2 {
			return time.Time{}, false
		}
		f[3], f[4], f[5] = h, m, s
		pos += 8
	} else {
		return time.Time{}, false
	}
	// Up to 3 more digits are milliseconds (PXL_20231130_165304123); more
	// make it a longer number.
	end := pos
	for end < len(name) && isDigit(name[end]) {
		end++
	}
	if end-pos > 3 {
		return time.Time{}, false
	}
	if f[0] < 2000 || f[0] > 2099 || f[1] < 1 || f[1] > 12 || f[2] < 1 || f[3] > 23 || f[4] > 59 || f[5] > 59 {
		return time.Time{}, false
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, loc)
	if t.Day() != f[2] { // 31 April, 29 February of a common year
		return time.Time{}, false
	}
	return t, true
}

// digits returns the n-digit number at s[i:i+n], and false when s has no
// n digits there.
func digits(s string, i, n int) (int, bool) {
	if i < 0 || i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if !isDigit(c) {
			return 0, false
		}
		v = 10*v + int(c-'0')
	}
	return v, true
}

func isDigit(c byte) bool   { return c >= '0' && c <= '9' }
func isDateSep(c byte) bool { return c == '-' || c == '_' || c == '.' }
func isTimeSep(c byte) bool {
	return c == '-' || c == '_' || c == '.' || c == ':' || c == ' ' || c == 'T'
}
