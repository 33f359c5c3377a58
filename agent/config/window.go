package config

import (
	"fmt"
	"time"

	"github.com/trapnet/trapnet/agent/window"
)

// validateWindow checks capture.window.
func (c *Config) validateWindow() error {
	w := c.Capture.Window
	bad := func(key string, format string, a ...any) error {
		return fmt.Errorf("config key capture.window.%s: %s", key, fmt.Sprintf(format, a...))
	}
	switch w.Mode {
	case "always":
	case "night":
		if c.Trap.Location.Lat == nil || c.Trap.Location.Lon == nil {
			return bad("mode", "night needs trap.location.lat and lon")
		}
	case "fixed":
		if len(w.Fixed) == 0 {
			return bad("fixed", "mode fixed needs at least one span HH:MM-HH:MM")
		}
	default:
		return bad("mode", "%q: want always, night or fixed", w.Mode)
	}
	for i, s := range w.Fixed {
		if _, err := window.ParseSpan(s); err != nil {
			return bad(fmt.Sprintf("fixed[%d]", i), "%v", err)
		}
	}
	for key, d := range map[string]time.Duration{"sunset_offset": w.SunsetOffset, "sunrise_offset": w.SunriseOffset} {
		if d < -6*time.Hour || d > 6*time.Hour {
			return bad(key, "%v is beyond +-6h", d)
		}
	}
	if w.CommandTimeout <= 0 {
		return bad("command_timeout", "must be > 0")
	}
	for key, argv := range map[string][]string{"on_start": w.OnStart, "on_end": w.OnEnd} {
		if len(argv) > 0 && argv[0] == "" {
			return bad(key, "the program (first item) is empty")
		}
	}
	return nil
}
