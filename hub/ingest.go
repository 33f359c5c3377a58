package hub

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/trapnet/trapnet/agent/mqttpub"
)

// IngestOptions configure the MQTT subscription.
type IngestOptions struct {
	// Broker URL: tcp://host:1883, ssl://host:8883 or tls://host:8883.
	Broker string
	// ClientID of the hub's persistent session (default "trapnet-hub"): the
	// broker keeps the QoS 1 messages published while the hub is away.
	ClientID string
	// Root is the first topic segment of the traps' prefix (default
	// "trapnet": the agent's default prefix trapnet/<trap>/).
	Root     string
	Username string
	Password string
	TLS      *tls.Config
	// BatchSize and BatchDelay bound a database transaction (default 512
	// messages, 50 ms).
	BatchSize  int
	BatchDelay time.Duration
	Logger     *slog.Logger
}

// IngestStats are the ingester's counters.
type IngestStats struct {
	Received   uint64 `json:"received"`
	Stored     uint64 `json:"stored"`
	Duplicates uint64 `json:"duplicates"`
	Rejected   uint64 `json:"rejected"`
	DBErrors   uint64 `json:"db_errors"`
	Connected  bool   `json:"connected"`
	LastError  string `json:"last_error,omitempty"`
}

// Ingester subscribes to the traps' topics and stores what arrives. A
// message is acknowledged to the broker only after the transaction holding
// it committed, so a hub killed at any moment gets it again.
type Ingester struct {
	store *Store
	opt   IngestOptions
	in    chan paho.Message
	// stopped is closed when Run returns: messages still arriving are
	// dropped unacknowledged (the broker sends them again).
	stopped chan struct{}

	received, stored, dups, rejected, dbErrors atomic.Uint64
	connected                                  atomic.Bool
	lastErr                                    atomic.Value // string
}

// oneByOne stores recs one transaction each; records refused alone are
// logged and counted as rejected. It fails only if every record failed.
func (g *Ingester) oneByOne(ctx context.Context, recs []Record) (stored, skipped int, err error) {
	var last error
	for _, r := range recs {
		k, err := g.store.Apply(ctx, []Record{r})
		if err != nil {
			last = err
			skipped++
			continue
		}
		stored += k
	}
	if skipped == len(recs) {
		return 0, 0, last
	}
	if skipped > 0 {
		g.rejected.Add(uint64(skipped))
		g.opt.Logger.Warn("hub: records refused by the database skipped", "count", skipped, "last_err", last)
	}
	return stored, skipped, nil
}

// NewIngester returns an ingester writing to store.
func NewIngester(store *Store, opt IngestOptions) *Ingester {
	if opt.ClientID == "" {
		opt.ClientID = "trapnet-hub"
	}
	if opt.Root == "" {
		opt.Root = "trapnet"
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 512
	}
	if opt.BatchDelay <= 0 {
		opt.BatchDelay = 50 * time.Millisecond
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Ingester{store: store, opt: opt, in: make(chan paho.Message, 4*opt.BatchSize), stopped: make(chan struct{})}
}

// Stats returns the counters.
func (g *Ingester) Stats() IngestStats {
	s := IngestStats{Received: g.received.Load(), Stored: g.stored.Load(), Duplicates: g.dups.Load(),
		Rejected: g.rejected.Load(), DBErrors: g.dbErrors.Load(), Connected: g.connected.Load()}
	s.LastError, _ = g.lastErr.Load().(string)
	return s
}

// Run connects (retrying until ctx ends) and stores messages until ctx is
// done. Messages received but not committed when it returns are not
// acknowledged: the broker delivers them again. Call Run once.
func (g *Ingester) Run(ctx context.Context) error {
	if g.opt.Broker == "" {
		return errors.New("hub: no MQTT broker given")
	}
	o := paho.NewClientOptions().AddBroker(g.opt.Broker).SetClientID(g.opt.ClientID).
		SetCleanSession(false).SetAutoReconnect(true).SetConnectRetry(true).
		SetConnectRetryInterval(time.Second).SetMaxReconnectInterval(10 * time.Second).
		SetKeepAlive(30 * time.Second).SetAutoAckDisabled(true).SetOrderMatters(true)
	if g.opt.Username != "" {
		o.SetUsername(g.opt.Username).SetPassword(g.opt.Password)
	}
	if g.opt.TLS != nil {
		o.SetTLSConfig(g.opt.TLS)
	}
	o.SetDefaultPublishHandler(g.onMessage)
	o.SetOnConnectHandler(g.onConnect)
	o.SetConnectionNotificationHandler(g.onNotification)
	o.SetConnectionLostHandler(func(_ paho.Client, err error) {
		g.connected.Store(false)
		g.lastErr.Store(err.Error())
		g.opt.Logger.Warn("hub: broker connection lost", "err", err)
	})
	c := paho.NewClient(o)
	c.Connect() // retries in the background (ConnectRetry)
	defer c.Disconnect(250)
	defer close(g.stopped)
	return g.writeLoop(ctx)
}

// onNotification records failed connection attempts (bad password, TLS,
// unreachable broker) in the stats, logging each new reason once.
func (g *Ingester) onNotification(_ paho.Client, n paho.ConnectionNotification) {
	reason := mqttpub.ConnectError(n)
	if reason == nil {
		return
	}
	if prev, _ := g.lastErr.Swap(reason.Error()).(string); prev != reason.Error() {
		g.opt.Logger.Warn("hub: broker connection attempt failed", "broker", g.opt.Broker, "err", reason)
	}
}

// onConnect (re)subscribes to every kind on every trap at QoS 1.
func (g *Ingester) onConnect(c paho.Client) {
	filters := map[string]byte{}
	for _, k := range Kinds {
		filters[g.opt.Root+"/+/"+string(k)] = 1
	}
	tok := c.SubscribeMultiple(filters, g.onMessage)
	if tok.WaitTimeout(10*time.Second) && tok.Error() == nil {
		g.connected.Store(true)
		g.opt.Logger.Info("hub: subscribed", "broker", g.opt.Broker, "root", g.opt.Root)
		return
	}
	err := tok.Error()
	if err == nil {
		err = errors.New("subscribe timed out")
	}
	g.lastErr.Store(err.Error())
	g.opt.Logger.Error("hub: subscribe", "err", err)
}

// onMessage hands the message to the write loop (blocking when it is full,
// which slows the broker down instead of dropping).
func (g *Ingester) onMessage(_ paho.Client, m paho.Message) {
	g.received.Add(1)
	select {
	case g.in <- m:
	case <-g.stopped:
	}
}

// writeLoop commits batches and acknowledges them afterwards.
func (g *Ingester) writeLoop(ctx context.Context) error {
	batch := make([]paho.Message, 0, g.opt.BatchSize)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-g.in:
			if len(batch) == 0 {
				timer.Reset(g.opt.BatchDelay)
			}
			batch = append(batch, m)
			if len(batch) < g.opt.BatchSize {
				continue
			}
		case <-timer.C:
		}
		timer.Stop()
		for len(batch) > 0 {
			if err := g.commit(ctx, batch); err == nil {
				break
			}
			select { // database trouble: keep the batch, unacknowledged, and retry
			case <-ctx.Done():
				return nil
			case <-time.After(time.Second):
			}
		}
		batch = batch[:0]
	}
}

// commit parses and stores a batch, then acknowledges its messages.
// Messages that cannot be parsed are counted, logged and acknowledged.
func (g *Ingester) commit(ctx context.Context, batch []paho.Message) error {
	recs := make([]Record, 0, len(batch))
	for _, m := range batch {
		r, err := Parse(m.Topic(), m.Payload())
		if err != nil {
			g.rejected.Add(1)
			g.opt.Logger.Warn("hub: message skipped", "err", err)
			continue
		}
		recs = append(recs, r)
	}
	n, err := g.store.Apply(ctx, recs)
	skipped := 0
	if err != nil && len(recs) > 1 {
		// One record the database refuses must not block the others:
		// store them one by one and skip those refused alone, unless
		// every one is refused (then the database is down).
		n, skipped, err = g.oneByOne(ctx, recs)
	}
	if err != nil {
		g.dbErrors.Add(1)
		g.lastErr.Store(err.Error())
		g.opt.Logger.Error("hub: store", "err", fmt.Errorf("batch of %d kept for retry: %w", len(recs), err))
		return err
	}
	g.stored.Add(uint64(n))
	g.dups.Add(uint64(len(recs) - n - skipped))
	for _, m := range batch {
		m.Ack()
	}
	return nil
}
