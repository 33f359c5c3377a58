package mqttpub

import (
	"errors"
	"io"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

func (p *Publisher) onConnect(c paho.Client) {
	if p.closing.Load() {
		return // a late reconnect must not overwrite the final "offline"
	}
	p.log.Info("mqtt connected", "broker", p.opt.Broker)
	p.errMu.Lock()
	p.upSince = time.Now()
	p.errMu.Unlock()
	if p.opt.StatusTopic != "" {
		t := c.Publish(p.opt.StatusTopic, 1, true, "online")
		if !t.WaitTimeout(p.opt.AckTimeout) || t.Error() != nil {
			p.log.Warn("mqtt status online not acknowledged", "err", t.Error())
		}
	}
	for topic, h := range p.opt.Subscriptions {
		h := h
		t := c.Subscribe(topic, 1, func(_ paho.Client, m paho.Message) { h(m.Topic(), m.Payload()) })
		if !t.WaitTimeout(p.opt.AckTimeout) || t.Error() != nil {
			p.log.Warn("mqtt subscribe failed", "topic", topic, "err", t.Error())
		}
	}
	p.mu.Lock()
	select {
	case <-p.up:
	default:
		p.down = make(chan struct{})
		close(p.up)
	}
	p.mu.Unlock()
	if p.opt.OnConnect != nil {
		p.opt.OnConnect(p)
	}
}

// ConnectError is the reason of a failed connection attempt that n
// notifies (nil for other notifications).
func ConnectError(n paho.ConnectionNotification) error {
	switch n := n.(type) {
	case paho.ConnectionNotificationFailed:
		return n.Reason
	case paho.ConnectionNotificationBrokerFailed:
		return n.Reason
	}
	return nil
}

// onNotification records failed connection attempts (bad password, TLS,
// unreachable broker) and logs them at most once a minute unless the reason
// changes.
func (p *Publisher) onNotification(_ paho.Client, n paho.ConnectionNotification) {
	reason := ConnectError(n)
	if reason == nil {
		return
	}
	msg := reason.Error()
	p.errMu.Lock()
	defer p.errMu.Unlock()
	p.lastErr = msg
	// One failed dial notifies twice (broker failed, attempt failed) with
	// different texts: each text is logged at most once a minute.
	now := time.Now()
	if t, ok := p.logged[msg]; ok && now.Sub(t) < time.Minute {
		p.suppressed++
		return
	}
	if p.logged == nil {
		p.logged = map[string]time.Time{}
	}
	for k, t := range p.logged {
		if now.Sub(t) >= time.Minute {
			delete(p.logged, k)
		}
	}
	p.logged[msg] = now
	p.log.Warn("mqtt connection attempt failed", "broker", p.opt.Broker, "err", msg, "similar_failures_not_logged", p.suppressed)
	p.suppressed = 0
}

// sameIDHint is how soon after connecting a closed connection suggests that
// another client with the same client id took it over (brokers close the
// older session of a client id, and the two then keep taking turns).
const sameIDHint = 10 * time.Second

func (p *Publisher) onLost(_ paho.Client, err error) {
	p.errMu.Lock()
	lived := time.Since(p.upSince)
	p.errMu.Unlock()
	if errors.Is(err, io.EOF) && lived < sameIDHint {
		p.log.Warn("mqtt connection closed by the broker right after connecting: is another client using this client id (mqtt.client_id, default trapnet-<trap id>)?",
			"client_id", p.opt.ClientID, "connected_for", lived.Round(time.Millisecond), "err", err)
	} else {
		p.log.Warn("mqtt connection lost", "err", err)
	}
	p.markDown()
}

func (p *Publisher) markDown() {
	p.mu.Lock()
	select {
	case <-p.up:
		close(p.down)
		p.up = make(chan struct{})
	default:
	}
	p.mu.Unlock()
}

func (p *Publisher) state() (up, down chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.up, p.down
}

// Connected says whether the broker connection is up.
func (p *Publisher) Connected() bool {
	up, _ := p.state()
	select {
	case <-up:
		return true
	default:
		return false
	}
}
