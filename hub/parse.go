package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trapnet/trapnet/agent"
)

// Record is one decoded message from a trap.
type Record struct {
	Kind Kind
	// Trap is the trap id (from the payload, or the topic for status).
	Trap string
	// ID is the message id (detections, frames, alerts); for health the
	// trap and time; empty for status.
	ID     string
	Det    *agent.Detection
	Frame  *agent.FrameSummary
	Alert  *agent.Alert
	Health *agent.Health
	Crop   *agent.Crop
	// Status is "online" or "offline".
	Status string
	// Raw is the payload as received (stored for detections, frames,
	// alerts and health).
	Raw []byte
}

// MaxPayload is the largest payload accepted (a crop JPEG in base64 fits).
const MaxPayload = 1 << 20

var trapIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Parse decodes a message on topic. The kind is the topic's last segment and
// the trap id of a status message its segment before. Errors name the topic
// and the problem; the caller counts and skips them.
func Parse(topic string, payload []byte) (Record, error) {
	segs := strings.Split(topic, "/")
	if len(segs) < 2 {
		return Record{}, fmt.Errorf("topic %q: want <prefix>/<trap>/<kind>", topic)
	}
	r := Record{Kind: Kind(segs[len(segs)-1]), Raw: payload}
	if len(payload) > MaxPayload {
		return r, fmt.Errorf("topic %q: payload of %d bytes exceeds %d", topic, len(payload), MaxPayload)
	}
	if r.Kind != KindStatus && (!utf8.Valid(payload) || !json.Valid(payload)) {
		return r, fmt.Errorf("topic %q: %s: payload is not one valid UTF-8 JSON value", topic, r.Kind)
	}
	var err error
	switch r.Kind {
	case KindStatus:
		r.Trap = segs[len(segs)-2]
		r.Status = strings.TrimSpace(string(payload))
		if r.Status != "online" && r.Status != "offline" {
			err = fmt.Errorf("status %q is neither online nor offline", r.Status)
		}
	case KindDetection:
		r.Det = new(agent.Detection)
		if err = decode(payload, r.Det); err == nil {
			r.ID, r.Trap = r.Det.ID, r.Det.TrapID
			err = checkTime(r.Det.CaptureTime, "capture_time")
			if err == nil && r.Det.Label == "" {
				err = errors.New("label is empty")
			}
		}
	case KindFrame:
		r.Frame = new(agent.FrameSummary)
		if err = decode(payload, r.Frame); err == nil {
			r.ID, r.Trap = r.Frame.ID, r.Frame.TrapID
			err = checkTime(r.Frame.CaptureTime, "capture_time")
		}
	case KindAlert:
		r.Alert = new(agent.Alert)
		if err = decode(payload, r.Alert); err == nil {
			r.ID, r.Trap = r.Alert.ID, r.Alert.TrapID
			err = checkTime(r.Alert.Time, "time")
		}
	case KindHealth:
		r.Health = new(agent.Health)
		if err = decode(payload, r.Health); err == nil {
			r.Trap = r.Health.TrapID
			r.ID = r.Trap + "@" + fmtTime(r.Health.Time)
			err = checkTime(r.Health.Time, "time")
		}
	case KindCrop:
		r.Crop = new(agent.Crop)
		if err = decode(payload, r.Crop); err == nil {
			r.ID, r.Trap = r.Crop.DetectionID, r.Crop.TrapID
			if !bytes.HasPrefix(r.Crop.JPEG, []byte{0xff, 0xd8}) {
				err = errors.New("jpeg is not a JPEG")
			}
		}
	default:
		return r, fmt.Errorf("topic %q: unknown kind %q", topic, r.Kind)
	}
	if err == nil && hasNUL(r) {
		err = errors.New("a text field holds a NUL character")
	}
	if err == nil && !trapIDRe.MatchString(r.Trap) {
		err = fmt.Errorf("trap id %q is not [A-Za-z0-9_-]{1,64}", r.Trap)
	}
	if err == nil && r.Kind != KindStatus && r.Kind != KindHealth && (r.ID == "" || len(r.ID) > 256) {
		err = errors.New("id is empty or longer than 256 bytes")
	}
	if err != nil {
		return r, fmt.Errorf("topic %q: %s: %w", topic, r.Kind, err)
	}
	return r, nil
}

// hasNUL reports whether a field stored in its own column holds a NUL
// (PostgreSQL's text refuses it).
func hasNUL(r Record) bool {
	fields := []string{r.ID}
	switch {
	case r.Det != nil:
		fields = append(fields, r.Det.FrameID, r.Det.Label, r.Det.ModelVersion, r.Det.Location.Country, r.Det.Location.Region)
	case r.Alert != nil:
		fields = append(fields, r.Alert.Rule)
	case r.Health != nil:
		fields = append(fields, r.Health.ModelVersion)
	}
	for _, f := range fields {
		if strings.ContainsRune(f, 0) {
			return true
		}
	}
	return false
}

// decode reads one JSON object into v.
func decode(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("bad JSON: %w", err)
	}
	return nil
}

// checkTime refuses a zero time or one outside years 2000..2200.
func checkTime(t time.Time, field string) error {
	if t.Year() < 2000 || t.Year() > 2200 {
		return fmt.Errorf("%s %s out of range", field, t.Format(time.RFC3339))
	}
	return nil
}
