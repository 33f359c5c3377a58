// Package mqttpub drains the agent's outbox to an MQTT broker with paho: it
// publishes queued messages in order, removes each from the outbox only
// after its PUBACK, keeps a retained online/offline status (offline is the
// last will) and routes subscriptions (model updates) to handlers.
package mqttpub

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/trapnet/trapnet/agent/outbox"
)

// Handler receives a message on a subscribed topic. It runs on its own
// goroutine per message and must not block for long.
type Handler func(topic string, payload []byte)

// Options configure a Publisher.
type Options struct {
	Broker   string // tcp://host:1883, ssl://host:8883, ...
	ClientID string
	Username string
	Password string
	TLS      *tls.Config
	// StatusTopic gets a retained "online" on connect and "offline" as
	// last will and on Close.
	StatusTopic string
	KeepAlive   time.Duration // default 30s
	// AckTimeout bounds the wait for one PUBACK (default 10s).
	AckTimeout time.Duration
	// Window is how many messages are in flight at once (default 16).
	Window int
	// MaxReconnectInterval caps paho's reconnect backoff (default 30s).
	MaxReconnectInterval time.Duration
	// Subscriptions are (re)made on every connect, QoS 1.
	Subscriptions map[string]Handler
	// OnConnect runs after each (re)connect, e.g. to send discovery messages.
	OnConnect func(p *Publisher)
	// OnAck is called after each outbox entry was acknowledged.
	OnAck  func(e outbox.Entry)
	Logger *slog.Logger
}

// Publisher connects to the broker and drains an outbox.
type Publisher struct {
	opt    Options
	box    *outbox.Outbox
	client paho.Client
	log    *slog.Logger

	mu   sync.Mutex
	up   chan struct{} // closed while connected
	down chan struct{} // closed when the current connection is lost

	published, acked, retries atomic.Uint64
	closing                   atomic.Bool

	errMu      sync.Mutex
	lastErr    string
	logged     map[string]time.Time // connection failure reasons logged in the last minute
	suppressed int
	upSince    time.Time // when the current connection came up
}

// New prepares a Publisher; Run connects and drains.
func New(opt Options, box *outbox.Outbox) (*Publisher, error) {
	if opt.Broker == "" || opt.ClientID == "" {
		return nil, errors.New("mqtt: broker and client id are required")
	}
	if opt.KeepAlive <= 0 {
		opt.KeepAlive = 30 * time.Second
	}
	if opt.AckTimeout <= 0 {
		opt.AckTimeout = 10 * time.Second
	}
	if opt.Window <= 0 {
		opt.Window = 16
	}
	if opt.MaxReconnectInterval <= 0 {
		opt.MaxReconnectInterval = 30 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	p := &Publisher{opt: opt, box: box, log: opt.Logger, up: make(chan struct{}), down: make(chan struct{})}
	co := paho.NewClientOptions().
		AddBroker(opt.Broker).
		SetClientID(opt.ClientID).
		SetCleanSession(true).
		SetOrderMatters(false).
		SetKeepAlive(opt.KeepAlive).
		SetPingTimeout(opt.KeepAlive/2 + time.Second).
		SetConnectTimeout(10 * time.Second).
		SetWriteTimeout(opt.AckTimeout).
		SetAutoReconnect(true).
		SetConnectRetry(true).
		SetConnectRetryInterval(min(5*time.Second, opt.MaxReconnectInterval)).
		SetMaxReconnectInterval(opt.MaxReconnectInterval).
		SetOnConnectHandler(p.onConnect).
		SetConnectionNotificationHandler(p.onNotification).
		SetConnectionLostHandler(p.onLost)
	if opt.Username != "" {
		co.SetUsername(opt.Username)
		co.SetPassword(opt.Password)
	}
	if opt.TLS != nil {
		co.SetTLSConfig(opt.TLS)
	}
	if opt.StatusTopic != "" {
		co.SetBinaryWill(opt.StatusTopic, []byte("offline"), 1, true)
	}
	p.client = paho.NewClient(co)
	return p, nil
}

// Run connects (retrying forever) and drains the outbox until ctx ends.
func (p *Publisher) Run(ctx context.Context) error {
	p.client.Connect() // with ConnectRetry the token completes once connected
	for ctx.Err() == nil {
		up, down := p.state()
		select {
		case <-ctx.Done():
			return nil
		case <-up:
		}
		n, err := p.drainOnce(ctx, down)
		if err != nil {
			p.retries.Add(1)
			p.log.Warn("mqtt publish interrupted; will resend", "err", err)
			select {
			case <-ctx.Done():
			case <-down:
			case <-time.After(time.Second):
			}
			continue
		}
		if n == 0 {
			select {
			case <-ctx.Done():
			case <-down:
			case <-p.box.Wake():
			case <-time.After(time.Second):
			}
		}
	}
	return nil
}

// drainOnce publishes up to Window of the oldest entries, pipelined, and
// acks the acknowledged prefix in the outbox. It returns how many were acked.
func (p *Publisher) drainOnce(ctx context.Context, down chan struct{}) (int, error) {
	es, err := p.box.Peek(p.opt.Window)
	if err != nil || len(es) == 0 {
		return 0, err
	}
	toks := make([]paho.Token, len(es))
	for i, e := range es {
		toks[i] = p.client.Publish(e.Topic, e.QoS, e.Retained, e.Payload)
		p.published.Add(1)
	}
	var done []uint64
	var werr error
	timeout := time.NewTimer(p.opt.AckTimeout)
	defer timeout.Stop()
wait:
	for i, t := range toks {
		select {
		case <-t.Done():
			if err := t.Error(); err != nil {
				werr = fmt.Errorf("outbox entry %d: %w", es[i].Seq, err)
				break wait
			}
			done = append(done, es[i].Seq)
		case <-down:
			werr = fmt.Errorf("connection lost before PUBACK of entry %d", es[i].Seq)
			break wait
		case <-ctx.Done():
			werr = ctx.Err()
			break wait
		case <-timeout.C:
			werr = fmt.Errorf("no PUBACK for entry %d within %v", es[i].Seq, p.opt.AckTimeout)
			break wait
		}
	}
	if err := p.box.Ack(done...); err != nil {
		return 0, err
	}
	p.acked.Add(uint64(len(done)))
	if p.opt.OnAck != nil {
		for _, e := range es[:len(done)] {
			p.opt.OnAck(e)
		}
	}
	return len(done), werr
}

// PublishNow sends a message outside the outbox (health, discovery): it is
// lost if the broker is unreachable. It waits for the PUBACK (QoS 1).
func (p *Publisher) PublishNow(topic string, qos byte, retained bool, payload []byte) error {
	if !p.Connected() {
		return errors.New("mqtt: not connected")
	}
	t := p.client.Publish(topic, qos, retained, payload)
	if !t.WaitTimeout(p.opt.AckTimeout) {
		return fmt.Errorf("mqtt publish %s: no PUBACK within %v", topic, p.opt.AckTimeout)
	}
	return t.Error()
}

// Stats counts publishes, acknowledgements and interrupted drains.
type Stats struct {
	Connected bool   `json:"connected"`
	Published uint64 `json:"published"`
	Acked     uint64 `json:"acked"`
	Retries   uint64 `json:"retries"`
	// LastConnectError is the reason of the latest failed connection attempt.
	LastConnectError string `json:"last_connect_error,omitempty"`
}

// Stats returns the publisher's counters.
func (p *Publisher) Stats() Stats {
	p.errMu.Lock()
	last := p.lastErr
	p.errMu.Unlock()
	return Stats{Connected: p.Connected(), Published: p.published.Load(), Acked: p.acked.Load(), Retries: p.retries.Load(), LastConnectError: last}
}

// Close publishes a retained "offline" (when connected) and disconnects.
func (p *Publisher) Close() {
	p.closing.Store(true)
	if p.opt.StatusTopic != "" && p.Connected() {
		_ = p.PublishNow(p.opt.StatusTopic, 1, true, []byte("offline"))
	}
	p.markDown()
	p.client.Disconnect(250)
}
