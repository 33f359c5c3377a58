// Package config reads the agent's YAML configuration strictly: unknown keys
// are errors naming the key and its line, bad values are errors naming the
// key, and everything left out gets a sane default.
package config

import (
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Config is the whole agent configuration (/etc/trapnet/agent.yaml).
type Config struct {
	Trap      Trap      `yaml:"trap"`
	Capture   Capture   `yaml:"capture"`
	Model     Model     `yaml:"model"`
	Uncertain Uncertain `yaml:"uncertain"`
	Crops     Crops     `yaml:"crops"`
	Outbox    Outbox    `yaml:"outbox"`
	MQTT      MQTT      `yaml:"mqtt"`
	Health    Health    `yaml:"health"`
	Alerts    []Alert   `yaml:"alerts"`
}

// Trap identifies the trap and where it stands.
type Trap struct {
	// ID is the trap id, used in topics and messages ([A-Za-z0-9_-]+).
	ID string `yaml:"id"`
	// Location of the trap.
	Location Location `yaml:"location"`
	// Timezone (IANA name) for the local capture date, and of Exif capture
	// times without an offset (files trigger); default UTC.
	Timezone string `yaml:"timezone"`
	// Static metadata columns attached to every specimen (e.g. habitat).
	Static map[string]string `yaml:"static"`
}

// Location is the trap's position and administrative region.
type Location struct {
	Lat     *float64 `yaml:"lat"`
	Lon     *float64 `yaml:"lon"`
	Country string   `yaml:"country"`
	Region  string   `yaml:"region"`
}

// Surfaces are the values of capture.surface ("" is "auto").
var Surfaces = []string{"auto", "sticky_card", "sheet"}

// Capture says when frames are taken and how pixels map to millimetres.
type Capture struct {
	// Interval between captures when the trigger is "interval".
	Interval time.Duration `yaml:"interval"`
	// Trigger is "interval" (read Snapshot every Interval) or "files"
	// (process new image files in WatchDir as they appear).
	Trigger string `yaml:"trigger"`
	// Snapshot is the image file a camera program keeps overwriting (e.g.
	// libcamera-still --timelapse), read at every interval.
	Snapshot string `yaml:"snapshot"`
	// WatchDir is the folder of incoming frames (trigger "files").
	WatchDir string `yaml:"watch_dir"`
	// PixelsPerMM is the camera's scale on the sticky card or sheet. On a
	// card, one set too high costs far more than one set too low: told
	// twice the true scale, a card's whiteflies fall under the detector's
	// size floors, unless they are clear enough to say so and the card is
	// searched again at their scale (scale_source "whiteflies";
	// bench/REPORT.md, "farther").
	PixelsPerMM float64 `yaml:"pixels_per_mm"`
	// ScaleSquareMM is the side, in mm, of one square of a checkerboard
	// scale bar on the sheet or card. When set and a checkerboard is in
	// view, sizes are measured at the scale read from it, and the frame
	// message says so (scale_source "checkerboard"); otherwise
	// PixelsPerMM is used. 0: no automatic scale.
	ScaleSquareMM float64 `yaml:"scale_square_mm"`
	// SolidBarMM is the length, in mm, of a solid dark scale bar on the
	// sheet or card (a printed bar, a strip of black tape cut to length).
	// When set and such a bar is in view, sizes are measured at the scale
	// read from its length (scale_source "solid_bar"), and the bar and
	// its caption are not specimens. 0: none sought.
	SolidBarMM float64 `yaml:"solid_bar_mm"`
	// RulerScale: a millimetre ruler in view sets the frame's scale from
	// its ticks (scale_source "ruler"); false keeps pixels_per_mm (the
	// ruler is still no specimen). Default true.
	RulerScale bool `yaml:"ruler_scale"`
	// Surface is what the camera looks at: "auto" (default: a coloured
	// sticky card is found by its colour, anything else is a sheet),
	// "sticky_card" (a sticky card, found by its colour or, from a
	// monochrome camera, by its brightness: the bright surface on a dark
	// surround, else the whole frame) or "sheet" (a light sheet, never
	// taken for a card however tinted its lamp).
	Surface string `yaml:"surface"`
	// Settle is how long a new file's size and time must stay unchanged
	// before it is read (trigger "files"); raise it for slow uploads.
	Settle time.Duration `yaml:"settle"`
	// MaxFileBytes: larger image files are rejected before they are read.
	MaxFileBytes int64 `yaml:"max_file_bytes"`
	// Window limits interval captures to part of the day.
	Window Window `yaml:"window"`
}

// Window is when interval captures are taken, with commands run when it
// opens and closes (e.g. a lamp on and off).
type Window struct {
	// Mode: "always" (default), "night" (sunset + SunsetOffset to sunrise +
	// SunriseOffset at trap.location) or "fixed" (the Fixed spans).
	Mode          string        `yaml:"mode"`
	SunsetOffset  time.Duration `yaml:"sunset_offset"`
	SunriseOffset time.Duration `yaml:"sunrise_offset"`
	// Fixed spans "HH:MM-HH:MM" of local time (trap.timezone); a span may
	// cross midnight.
	Fixed []string `yaml:"fixed"`
	// OnStart and OnEnd are a program and its arguments, run when the
	// window opens and closes (and the matching one at start-up).
	OnStart []string `yaml:"on_start"`
	OnEnd   []string `yaml:"on_end"`
	// CommandTimeout bounds each command.
	CommandTimeout time.Duration `yaml:"command_timeout"`
}

// Model is the classifier and its acceptance rules.
type Model struct {
	// Path of the active .tflite model.
	Path string `yaml:"path"`
	// TopK labels reported per specimen.
	TopK int `yaml:"top_k"`
	// MinConfidence below which a result is "uncertain".
	MinConfidence float64 `yaml:"min_confidence"`
	// PublicKey is the ed25519 public key file (PEM) that model updates
	// must be signed with; empty disables remote updates.
	PublicKey string `yaml:"public_key"`
	// MaxUpdateBytes caps a downloaded model.
	MaxUpdateBytes int64 `yaml:"max_update_bytes"`
	// UpdateDir is the only directory model updates may name by file path;
	// empty: updates come inline or over https only.
	UpdateDir string `yaml:"update_dir"`
	// UpdateTimeout limits downloading (or reading) an update.
	UpdateTimeout time.Duration `yaml:"update_timeout"`
	// SelfTestTimeout limits loading and self-testing a model (updates and
	// start-up); a model that takes longer is treated as broken.
	SelfTestTimeout time.Duration `yaml:"selftest_timeout"`
	// UpdateMinInterval is the least time between two model/set attempts;
	// sooner ones are refused unread.
	UpdateMinInterval time.Duration `yaml:"update_min_interval"`
	// OmitColumns are metadata columns never given to the model (encoded as
	// missing), on top of those the model's fitted schema shows were never
	// present in training (omitted automatically: a BIOSCAN-5M model never
	// saw a collection date, so the agent's date stays missing for it).
	// Default empty.
	OmitColumns []string `yaml:"omit_columns"`
	// Threads is how many crops are classified in parallel (one interpreter,
	// with its own activation memory, per thread).
	Threads int `yaml:"threads"`
	// MaxNewPerFrame is the most new specimens classified on one frame,
	// the largest first; the others are classified (and counted) on the
	// next frames. 0 = no limit. Default 200: the first frame of a used
	// sticky card holds 300-900 specks (agent.DetectFinder.MaxNew).
	MaxNewPerFrame int `yaml:"max_new_per_frame"`
	// Verifier is an optional .tflite with classes insect and junk (built
	// by bench/verifier from judged sticky-card crops): on a sticky card,
	// each specimen 5 mm or longer is judged from its crop, and one it
	// gives a junk probability over VerifierReject is dropped (the frame
	// message's "rejected"). Empty: none. Sheets are never judged.
	Verifier string `yaml:"verifier"`
	// VerifierReject is that probability (default 0.95, detect.DefaultVerifierReject).
	VerifierReject float64 `yaml:"verifier_reject"`
}

// Uncertain is where low-confidence crops are kept for labelling.
type Uncertain struct {
	// Dir holds images/ and labels.csv in the trainer's generic CSV layout;
	// empty disables keeping crops.
	Dir string `yaml:"dir"`
	// MaxBytes is the disk quota of Dir; the oldest crops go first.
	MaxBytes int64 `yaml:"max_bytes"`
}

// Crops publishes each new specimen's crop, a small JPEG, on <prefix>crops
// through the outbox, for the hub's review view.
type Crops struct {
	Enabled bool `yaml:"enabled"`
	// MaxSide scales a crop down so that its longer side is at most this
	// many pixels.
	MaxSide int `yaml:"max_side"`
	// MaxBytes caps the JPEG: the quality is lowered until it fits, and a
	// crop that still does not is left out (health.crops_skipped).
	MaxBytes int `yaml:"max_bytes"`
}

// Outbox is the durable queue between classification and MQTT.
type Outbox struct {
	// Path of the bbolt file.
	Path string `yaml:"path"`
	// MaxMessages kept; beyond it the oldest are dropped (and counted).
	MaxMessages int `yaml:"max_messages"`
	// MaxBytes of payload kept; beyond it the oldest are dropped.
	MaxBytes int64 `yaml:"max_bytes"`
}

// MQTT is the broker connection.
type MQTT struct {
	// Broker URL: tcp://host:1883, ssl://host:8883 or tls://host:8883.
	Broker string `yaml:"broker"`
	// ClientID; default "trapnet-<trap id>".
	ClientID string `yaml:"client_id"`
	// TopicPrefix; default "trapnet/<trap id>/". Must end with "/".
	TopicPrefix string `yaml:"topic_prefix"`
	Username    string `yaml:"username"`
	// PasswordFile holds the password (first line); never logged.
	PasswordFile string `yaml:"password_file"`
	// CAFile verifies the broker; CertFile/KeyFile authenticate the trap.
	CAFile   string `yaml:"ca_file"`
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// KeepAlive interval.
	KeepAlive time.Duration `yaml:"keepalive"`
	// AckTimeout is how long to wait for a PUBACK before retrying.
	AckTimeout time.Duration `yaml:"ack_timeout"`
	// ReconnectMax caps the reconnect backoff.
	ReconnectMax time.Duration `yaml:"reconnect_max"`
	// HomeAssistant publishes MQTT discovery messages.
	HomeAssistant HomeAssistant `yaml:"home_assistant"`
}

// HomeAssistant configures MQTT discovery.
type HomeAssistant struct {
	Enabled bool `yaml:"enabled"`
	// DiscoveryPrefix; default "homeassistant".
	DiscoveryPrefix string `yaml:"discovery_prefix"`
	// Species get a daily count sensor each; empty: every label of the
	// model when it has at most 50.
	Species []string `yaml:"species"`
}

// Health is the periodic health message.
type Health struct {
	Interval time.Duration `yaml:"interval"`
	// MetricsListen serves Prometheus /metrics at this address (e.g.
	// 127.0.0.1:9101); empty: no metrics server.
	MetricsListen string `yaml:"metrics_listen"`
}

// Alert is one rule: at least MinCount specimens of Labels with confidence
// >= MinConfidence within Window raise an alert.
type Alert struct {
	Name string `yaml:"name"`
	// Labels are species or genus names; a genus matches every species
	// label starting with "<genus> ".
	Labels        []string      `yaml:"labels"`
	MinCount      int           `yaml:"min_count"`
	Window        time.Duration `yaml:"window"`
	MinConfidence float64       `yaml:"min_confidence"`
}

// Default returns the configuration used for every key left out.
func Default() Config {
	return Config{
		Capture: Capture{Interval: 60 * time.Second, Trigger: "interval", Snapshot: "/run/trapnet/snapshot.jpg", PixelsPerMM: 10, RulerScale: true,
			Settle: time.Second, MaxFileBytes: 64 << 20, Window: Window{Mode: "always", CommandTimeout: 30 * time.Second}},
		Model: Model{Path: "/var/lib/trapnet/model/model.tflite", TopK: 5, MinConfidence: 0.5, MaxUpdateBytes: 64 << 20, Threads: 2, MaxNewPerFrame: 200, VerifierReject: 0.95,
			UpdateTimeout: 5 * time.Minute, SelfTestTimeout: time.Minute, UpdateMinInterval: 10 * time.Second},
		Uncertain: Uncertain{Dir: "/var/lib/trapnet/uncertain", MaxBytes: 512 << 20},
		Crops:     Crops{MaxSide: 192, MaxBytes: 32 << 10},
		Outbox:    Outbox{Path: "/var/lib/trapnet/outbox.db", MaxMessages: 100000, MaxBytes: 64 << 20},
		MQTT:      MQTT{Broker: "tcp://127.0.0.1:1883", KeepAlive: 30 * time.Second, AckTimeout: 10 * time.Second, ReconnectMax: 30 * time.Second, HomeAssistant: HomeAssistant{DiscoveryPrefix: "homeassistant"}},
		Health:    Health{Interval: 60 * time.Second},
	}
}

// Prefix returns the topic prefix, "trapnet/<trap id>/" unless configured.
func (c *Config) Prefix() string {
	if c.MQTT.TopicPrefix != "" {
		return c.MQTT.TopicPrefix
	}
	return "trapnet/" + c.Trap.ID + "/"
}

// Location returns the configured time zone (UTC when none).
func (c *Config) Location() *time.Location {
	if loc, err := time.LoadLocation(c.Trap.Timezone); err == nil && c.Trap.Timezone != "" {
		return loc
	}
	return time.UTC
}

// Validate checks every value and names the key of the first bad one.
func (c *Config) Validate() error {
	bad := func(key string, format string, a ...any) error {
		return fmt.Errorf("config key %s: %s", key, fmt.Sprintf(format, a...))
	}
	if c.Trap.ID == "" {
		return bad("trap.id", "required")
	}
	if strings.IndexFunc(c.Trap.ID, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) >= 0 {
		return bad("trap.id", "%q: only letters, digits, '-' and '_' are allowed", c.Trap.ID)
	}
	if l := c.Trap.Location; (l.Lat == nil) != (l.Lon == nil) {
		return bad("trap.location", "set both lat and lon or neither")
	}
	if l := c.Trap.Location.Lat; l != nil && (*l < -90 || *l > 90) {
		return bad("trap.location.lat", "%v is outside [-90, 90]", *l)
	}
	if l := c.Trap.Location.Lon; l != nil && (*l < -180 || *l > 180) {
		return bad("trap.location.lon", "%v is outside [-180, 180]", *l)
	}
	if c.Trap.Timezone != "" {
		if _, err := time.LoadLocation(c.Trap.Timezone); err != nil {
			return bad("trap.timezone", "%v", err)
		}
	}
	switch c.Capture.Trigger {
	case "interval":
		if c.Capture.Interval <= 0 {
			return bad("capture.interval", "must be > 0, got %v", c.Capture.Interval)
		}
		if c.Capture.Snapshot == "" {
			return bad("capture.snapshot", "required when capture.trigger is interval")
		}
	case "files":
		if c.Capture.WatchDir == "" {
			return bad("capture.watch_dir", "required when capture.trigger is files")
		}
	default:
		return bad("capture.trigger", "%q: want interval or files", c.Capture.Trigger)
	}
	if c.Capture.Settle <= 0 {
		return bad("capture.settle", "must be > 0, got %v", c.Capture.Settle)
	}
	if c.Capture.MaxFileBytes < 1024 {
		return bad("capture.max_file_bytes", "must be >= 1024, got %d", c.Capture.MaxFileBytes)
	}
	if !(c.Capture.PixelsPerMM > 0) {
		return bad("capture.pixels_per_mm", "must be > 0, got %v", c.Capture.PixelsPerMM)
	}
	if c.Capture.Surface != "" && !slices.Contains(Surfaces, c.Capture.Surface) {
		return bad("capture.surface", "%q: want one of %s", c.Capture.Surface, strings.Join(Surfaces, ", "))
	}
	if !(c.Capture.ScaleSquareMM >= 0) || c.Capture.ScaleSquareMM > 1000 {
		return bad("capture.scale_square_mm", "must be between 0 (off) and 1000, got %v", c.Capture.ScaleSquareMM)
	}
	if !(c.Capture.SolidBarMM >= 0) || c.Capture.SolidBarMM > 1000 {
		return bad("capture.solid_bar_mm", "must be between 0 (off) and 1000, got %v", c.Capture.SolidBarMM)
	}
	if c.Model.Path == "" {
		return bad("model.path", "required")
	}
	if c.Model.TopK < 1 {
		return bad("model.top_k", "must be >= 1, got %d", c.Model.TopK)
	}
	if !(c.Model.VerifierReject > 0 && c.Model.VerifierReject <= 1) {
		return bad("model.verifier_reject", "%v is outside (0, 1]", c.Model.VerifierReject)
	}
	if c.Model.MinConfidence < 0 || c.Model.MinConfidence > 1 {
		return bad("model.min_confidence", "%v is outside [0, 1]", c.Model.MinConfidence)
	}
	if c.Model.Threads < 1 || c.Model.Threads > 64 {
		return bad("model.threads", "must be in [1, 64], got %d", c.Model.Threads)
	}
	if c.Model.MaxNewPerFrame < 0 || c.Model.MaxNewPerFrame > 1000000 {
		return bad("model.max_new_per_frame", "must be in [0, 1000000] (0 = no limit), got %d", c.Model.MaxNewPerFrame)
	}
	if c.Model.MaxUpdateBytes <= 0 {
		return bad("model.max_update_bytes", "must be > 0")
	}
	if c.Model.UpdateTimeout <= 0 {
		return bad("model.update_timeout", "must be > 0, got %v", c.Model.UpdateTimeout)
	}
	if c.Model.SelfTestTimeout <= 0 {
		return bad("model.selftest_timeout", "must be > 0, got %v", c.Model.SelfTestTimeout)
	}
	if c.Model.UpdateMinInterval < 0 {
		return bad("model.update_min_interval", "must be >= 0, got %v", c.Model.UpdateMinInterval)
	}
	if d := c.Model.UpdateDir; d != "" && !filepath.IsAbs(d) {
		return bad("model.update_dir", "%q must be an absolute path", d)
	}
	if err := c.validateWindow(); err != nil {
		return err
	}
	if c.Crops.MaxSide < 16 || c.Crops.MaxSide > 1024 {
		return bad("crops.max_side", "must be 16 to 1024 pixels, got %d", c.Crops.MaxSide)
	}
	if c.Crops.MaxBytes < 1024 || c.Crops.MaxBytes > 256<<10 {
		return bad("crops.max_bytes", "must be 1024 to 262144 bytes, got %d", c.Crops.MaxBytes)
	}
	if c.Uncertain.MaxBytes < 0 {
		return bad("uncertain.max_bytes", "must be >= 0")
	}
	if c.Outbox.Path == "" {
		return bad("outbox.path", "required")
	}
	if c.Outbox.MaxMessages < 1 {
		return bad("outbox.max_messages", "must be >= 1, got %d", c.Outbox.MaxMessages)
	}
	if c.Outbox.MaxBytes < 1024 {
		return bad("outbox.max_bytes", "must be >= 1024, got %d", c.Outbox.MaxBytes)
	}
	if err := c.MQTT.validate(bad); err != nil {
		return err
	}
	if p := c.MQTT.TopicPrefix; p != "" && (!strings.HasSuffix(p, "/") || strings.ContainsAny(p, "#+")) {
		return bad("mqtt.topic_prefix", "%q must end with '/' and contain no wildcards", p)
	}
	if c.Health.Interval <= 0 {
		return bad("health.interval", "must be > 0, got %v", c.Health.Interval)
	}
	if a := c.Health.MetricsListen; a != "" {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return bad("health.metrics_listen", "%q: %v", a, err)
		}
	}
	for i, a := range c.Alerts {
		key := fmt.Sprintf("alerts[%d]", i)
		switch {
		case a.Name == "":
			return bad(key+".name", "required")
		case len(a.Labels) == 0:
			return bad(key+".labels", "at least one species or genus required")
		case a.MinCount < 1:
			return bad(key+".min_count", "must be >= 1, got %d", a.MinCount)
		case a.Window <= 0:
			return bad(key+".window", "must be > 0, got %v", a.Window)
		case a.MinConfidence < 0 || a.MinConfidence > 1:
			return bad(key+".min_confidence", "%v is outside [0, 1]", a.MinConfidence)
		}
	}
	return nil
}

func (m *MQTT) validate(bad func(string, string, ...any) error) error {
	switch {
	case strings.HasPrefix(m.Broker, "tcp://"), strings.HasPrefix(m.Broker, "mqtt://"):
	case strings.HasPrefix(m.Broker, "ssl://"), strings.HasPrefix(m.Broker, "tls://"), strings.HasPrefix(m.Broker, "mqtts://"):
	default:
		return bad("mqtt.broker", "%q: want tcp://, mqtt://, ssl://, tls:// or mqtts:// URL", m.Broker)
	}
	if (m.CertFile == "") != (m.KeyFile == "") {
		return bad("mqtt.cert_file", "cert_file and key_file go together")
	}
	if m.PasswordFile != "" && m.Username == "" {
		return bad("mqtt.username", "required with mqtt.password_file")
	}
	if m.KeepAlive < time.Second {
		return bad("mqtt.keepalive", "must be >= 1s, got %v", m.KeepAlive)
	}
	if m.AckTimeout <= 0 {
		return bad("mqtt.ack_timeout", "must be > 0, got %v", m.AckTimeout)
	}
	if m.ReconnectMax < 100*time.Millisecond {
		return bad("mqtt.reconnect_max", "must be >= 100ms, got %v", m.ReconnectMax)
	}
	return nil
}
