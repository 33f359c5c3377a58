// Package window limits the trap's captures to part of the day: the night
// (sunset to sunrise at the trap's latitude and longitude, computed here in
// pure Go) or fixed spans of local time, and runs commands when a window
// opens and closes (a lamp on and off).
package window

import (
	"math"
	"time"
)

// SunKind says whether the sun rises and sets on a day.
type SunKind int

// Kinds of days.
const (
	// Normal days have a sunrise and a sunset.
	Normal SunKind = iota
	// PolarNight: the sun stays below the horizon all day.
	PolarNight
	// MidnightSun: the sun stays above the horizon all day.
	MidnightSun
)

const rad = math.Pi / 180

// Sun returns the sunrise and sunset (UTC) at lat, lon (degrees, east
// positive) on the day of date (its year, month and day), with the usual
// -0.833 degree altitude for refraction and the sun's radius (the sunrise
// equation; within about two minutes away from the poles).
func Sun(date time.Time, lat, lon float64) (rise, set time.Time, kind SunKind) {
	noon := time.Date(date.Year(), date.Month(), date.Day(), 12, 0, 0, 0, time.UTC)
	jd := float64(noon.Unix())/86400 + 2440587.5
	n := math.Round(jd - 2451545.0 + 0.0008)
	jstar := n - lon/360
	m := math.Mod(357.5291+0.98560028*jstar, 360)
	c := 1.9148*math.Sin(m*rad) + 0.0200*math.Sin(2*m*rad) + 0.0003*math.Sin(3*m*rad)
	l := math.Mod(m+c+180+102.9372, 360)
	transit := 2451545.0 + jstar + 0.0053*math.Sin(m*rad) - 0.0069*math.Sin(2*l*rad)
	sinDec := math.Sin(l*rad) * math.Sin(23.4397*rad)
	cosDec := math.Cos(math.Asin(sinDec))
	cosW := (math.Sin(-0.833*rad) - math.Sin(lat*rad)*sinDec) / (math.Cos(lat*rad) * cosDec)
	switch {
	case cosW > 1:
		return time.Time{}, time.Time{}, PolarNight
	case cosW < -1:
		return time.Time{}, time.Time{}, MidnightSun
	}
	w := math.Acos(cosW) / rad
	return julian(transit - w/360), julian(transit + w/360), Normal
}

// julian converts a Julian day to UTC time (to the second).
func julian(jd float64) time.Time {
	return time.Unix(int64(math.Round((jd-2440587.5)*86400)), 0).UTC()
}
