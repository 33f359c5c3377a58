package runner

import (
	"time"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/window"
)

// schedule is capture.window as a window.Schedule; nil for "always".
func schedule(cfg *config.Config) window.Schedule {
	w := cfg.Capture.Window
	switch w.Mode {
	case "night":
		return window.Night{Lat: *cfg.Trap.Location.Lat, Lon: *cfg.Trap.Location.Lon,
			SunsetOffset: w.SunsetOffset, SunriseOffset: w.SunriseOffset}
	case "fixed":
		f := window.Fixed{Loc: cfg.Location()}
		for _, s := range w.Fixed {
			sp, _ := window.ParseSpan(s) // checked by config.Validate
			f.Spans = append(f.Spans, sp)
		}
		return f
	}
	return nil
}

// windowPoll is how often the window's state is checked for commands.
const windowPoll = 30 * time.Second
