package mqttpub

import (
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

func (p *Publisher) onConnect(c paho.Client) {
	if p.closing.Load() {
		return // a late reconnect must not overwrite the final "offline"
	}
	p.log.Info("mqtt connected", "broker", p.opt.Broker)
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

// onNotification records failed connection attempts (bad password, TLS,
// unreachable broker) and logs them at most once a minute unless the reason
// changes.
func (p *Publisher) onNotification(_ paho.Client, n paho.ConnectionNotification) {
	var reason error
	switch n := n.(type) {
	case paho.ConnectionNotificationFailed:
		reason = n.Reason
	case paho.ConnectionNotificationBrokerFailed:
		reason = n.Reason
	default:
		return
	}
	if reason == nil {
		return
	}
	msg := reason.Error()
	p.errMu.Lock()
	defer p.errMu.Unlock()
	if msg == p.lastErr && time.Since(p.lastErrLog) < time.Minute {
		p.suppressed++
		return
	}
	p.log.Warn("mqtt connection attempt failed", "broker", p.opt.Broker, "err", msg, "similar_failures_not_logged", p.suppressed)
	p.lastErr, p.lastErrLog, p.suppressed = msg, time.Now(), 0
}

func (p *Publisher) onLost(_ paho.Client, err error) {
	p.log.Warn("mqtt connection lost", "err", err)
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
