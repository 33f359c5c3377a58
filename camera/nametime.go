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
	year, month, day, pos, ok := fields3(name, i, 4, isDateSep)
	if !ok {
		return time.Time{}, false
	}
	// The time: right after the date, or after one separator.
	if pos < len(name) && isTimeSep(name[pos]) {
		pos++
	}
	hour, minute, sec, pos, ok := fields3(name, pos, 2, isTimeSep)
	if !ok {
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
	if year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc)
	if t.Day() != day { // 31 April, 29 February of a common year
		return time.Time{}, false
	}
	return t, true
}

// fields3 reads three numbers at s[i:], of w0, 2 and 2 digits: packed
// (YYYYMMDD, hhmmss) or each after one separator that sep accepts, the
// same both times (YYYY-MM-DD, hh.mm.ss). next is the index after them.
func fields3(s string, i, w0 int, sep func(byte) bool) (a, b, c, next int, ok bool) {
	if n, ok := digits(s, i, w0+4); ok {
		return n / 10000, n / 100 % 100, n % 100, i + w0 + 4, true
	}
	a, ok = digits(s, i, w0)
	j := i + w0
	if !ok || j+6 > len(s) || !sep(s[j]) || s[j+3] != s[j] {
		return 0, 0, 0, 0, false
	}
	b, okb := digits(s, j+1, 2)
	c, okc := digits(s, j+4, 2)
	return a, b, c, j + 6, okb && okc
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
