package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/trapnet/trapnet/hub"
)

// startHub runs the hub's ingester on the demo broker, storing into the
// SQLite file db, and waits until it is subscribed. The returned function
// waits for the last messages, stops it and reports what it stored.
func startHub(ctx context.Context, db, broker string) (func(), error) {
	s, err := hub.OpenSQLite(db)
	if err != nil {
		return nil, err
	}
	g := hub.NewIngester(s, hub.IngestOptions{Broker: broker, ClientID: "trapdemo-hub",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ictx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { g.Run(ictx); close(done) }()
	for end := time.Now().Add(10 * time.Second); !g.Stats().Connected; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			cancel()
			s.Close()
			return nil, fmt.Errorf("hub ingester: not subscribed after 10 s (%s)", g.Stats().LastError)
		}
	}
	fmt.Printf("hub ingester storing into %s\n", db)
	return func() {
		// Stored counts settle within a few batch delays once the agent stopped.
		for prev := uint64(0); ; prev = g.Stats().Received {
			time.Sleep(300 * time.Millisecond)
			if g.Stats().Received == prev {
				break
			}
		}
		time.Sleep(200 * time.Millisecond)
		cancel()
		<-done
		st := g.Stats()
		fmt.Printf("hub: %d messages stored (%d duplicates, %d rejected) in %s\n", st.Stored, st.Duplicates, st.Rejected, db)
		s.Close()
	}, nil
}
