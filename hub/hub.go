// Package hub is the operator's side of trapnet: it subscribes to the traps'
// MQTT topics, stores frames, detections, crops, alerts and health in a
// database (SQLite embedded, or PostgreSQL), and serves a web page with the
// traps' health, alert feed, counts per species per night, a detections
// table, a review view and exports (CSV, Darwin Core Archive, a reviewed
// crops dataset for the trainer).
//
// Every message is stored idempotently, keyed by its id: at-least-once MQTT
// delivery never counts a detection twice.
package hub

import (
	"math"
	"time"
)

// Kind is what a message on a trap topic carries.
type Kind string

// Message kinds, named by the last topic segment (agent/README.md, MQTT).
const (
	KindDetection Kind = "detections"
	KindFrame     Kind = "frames"
	KindAlert     Kind = "alerts"
	KindHealth    Kind = "health"
	KindStatus    Kind = "status"
	KindCrop      Kind = "crops"
)

// Kinds lists the kinds the hub subscribes to.
var Kinds = []Kind{KindDetection, KindFrame, KindAlert, KindHealth, KindStatus, KindCrop}

// timeLayout stores times as fixed-width UTC text, so that text order is
// time order in every database.
const timeLayout = "2006-01-02T15:04:05.000Z"

// fmtTime formats t for storage.
func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTime reads a stored time; a zero time if it is not one.
func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

// NightOf is the night a capture at t belongs to, named by the date of its
// evening in local mean solar time at longitude lon (UTC when lon is
// unknown): captures from noon to noon of the next day form one night.
// Solar time needs no time zone and keeps a night in one piece across
// midnight and daylight-saving changes.
func NightOf(t time.Time, lon *float64) string {
	off := 0.0
	if lon != nil && !math.IsNaN(*lon) {
		off = *lon / 15
	}
	solar := t.UTC().Add(time.Duration(off*float64(time.Hour)) - 12*time.Hour)
	return solar.Format("2006-01-02")
}
