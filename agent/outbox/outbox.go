// Package outbox is the agent's durable message queue: every result is
// committed (fsync'd) to a bbolt file before it is published, and removed
// only once the broker acknowledged it. The queue is bounded by message count
// and payload bytes; when full, the oldest messages are dropped and counted.
package outbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	msgBucket   = []byte("msgs")
	metaBucket  = []byte("meta")
	stateBucket = []byte("state")
	droppedKey  = []byte("dropped")
)

// Message is what the publisher sends.
type Message struct {
	Topic    string
	Payload  []byte
	QoS      byte
	Retained bool
	// Priority (0 to MaxPriority): when the queue is full, the oldest
	// messages of the lowest priority present are dropped first.
	Priority byte
}

// MaxPriority is the highest Message.Priority.
const MaxPriority = 3

// Entry is a queued message and its sequence number (increasing, never reused).
type Entry struct {
	Seq uint64
	Message
}

// Options bound the queue.
type Options struct {
	// MaxMessages kept (0: unbounded).
	MaxMessages int
	// MaxBytes of topics+payloads kept (0: unbounded).
	MaxBytes int64
	// NoSync skips fsync: survives a process crash but not a power cut.
	NoSync bool
	// BeforeCommit, if set, runs at the end of every Put transaction; an
	// error aborts it as a failed commit would (tests inject ENOSPC).
	BeforeCommit func() error
}

// Outbox is a bbolt-backed FIFO. It is safe for concurrent use.
type Outbox struct {
	db   *bolt.DB
	opt  Options
	mu   sync.Mutex
	n    int
	size int64
	drop uint64
	// corrupt counts undecodable records dropped since Open.
	corrupt uint64
	// byPrio counts queued records per priority.
	byPrio [MaxPriority + 1]int
	wake   chan struct{}
}

// Open opens (or creates) the outbox file at path.
func Open(path string, opt Options) (*Outbox, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second, NoSync: opt.NoSync})
	if err != nil {
		return nil, fmt.Errorf("outbox %s: %w", path, err)
	}
	o := &Outbox{db: db, opt: opt, wake: make(chan struct{}, 1)}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(msgBucket)
		if err != nil {
			return err
		}
		m, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(stateBucket); err != nil {
			return err
		}
		if v := m.Get(droppedKey); len(v) == 8 {
			o.drop = binary.BigEndian.Uint64(v)
		}
		return b.ForEach(func(k, v []byte) error {
			o.n++
			o.size += int64(len(v))
			o.byPrio[priorityOf(v)]++
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("outbox %s: %w", path, err)
	}
	return o, nil
}

// Close closes the file.
func (o *Outbox) Close() error { return o.db.Close() }

// Put commits msgs in one transaction (one fsync) and returns their sequence
// numbers. If the queue is then over its bounds entries are dropped in the
// same transaction: the lowest Priority present first, oldest first within
// it (the newest entry is always kept).
func (o *Outbox) Put(msgs ...Message) ([]uint64, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	return o.PutState(nil, msgs...)
}

// PutState commits msgs and the state values (key -> value; a nil value
// deletes the key) in one transaction, so a consumer's state never runs
// ahead of or behind its committed messages.
func (o *Outbox) PutState(state map[string][]byte, msgs ...Message) ([]uint64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	seqs := make([]uint64, len(msgs))
	n, size, drop, byPrio := o.n, o.size, o.drop, o.byPrio
	err := o.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(msgBucket)
		for i, m := range msgs {
			if len(m.Topic) > 0xffff {
				return fmt.Errorf("outbox: topic of %d bytes is too long", len(m.Topic))
			}
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			v := encode(m)
			if err := b.Put(key(seq), v); err != nil {
				return err
			}
			seqs[i] = seq
			n++
			size += int64(len(v))
			byPrio[priorityOf(v)]++
		}
		nd, err := o.dropOver(b, &n, &size, &byPrio)
		if err != nil {
			return err
		}
		drop += nd
		if nd > 0 {
			if err := tx.Bucket(metaBucket).Put(droppedKey, key(drop)); err != nil {
				return err
			}
		}
		if err := putState(tx, state); err != nil {
			return err
		}
		if o.opt.BeforeCommit != nil {
			return o.opt.BeforeCommit()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	o.n, o.size, o.drop, o.byPrio = n, size, drop, byPrio
	if len(msgs) == 0 {
		return seqs, nil
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return seqs, nil
}

// Peek returns up to max of the oldest entries, oldest first. Entries that
// cannot be decoded (a damaged file) are deleted and counted as dropped, so
// one bad record never blocks the queue.
func (o *Outbox) Peek(max int) ([]Entry, error) {
	var out []Entry
	var bad [][]byte
	err := o.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(msgBucket).Cursor()
		for k, v := c.First(); k != nil && len(out) < max; k, v = c.Next() {
			m, err := decode(v)
			if err != nil {
				bad = append(bad, append([]byte(nil), k...))
				continue
			}
			out = append(out, Entry{Seq: binary.BigEndian.Uint64(k), Message: m})
		}
		return nil
	})
	if err != nil || len(bad) == 0 {
		return out, err
	}
	return out, o.dropCorrupt(bad)
}

func (o *Outbox) dropCorrupt(keys [][]byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	n, size, drop, byPrio := o.n, o.size, o.drop, o.byPrio
	err := o.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(msgBucket)
		for _, k := range keys {
			if v := b.Get(k); v != nil {
				n--
				size -= int64(len(v))
				drop++
				byPrio[priorityOf(v)]--
				if err := b.Delete(k); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(metaBucket).Put(droppedKey, key(drop))
	})
	if err != nil {
		return err
	}
	o.n, o.size, o.drop, o.corrupt, o.byPrio = n, size, drop, o.corrupt+uint64(len(keys)), byPrio
	return nil
}

// Ack removes the acknowledged entries (missing ones, e.g. already dropped,
// are ignored).
func (o *Outbox) Ack(seqs ...uint64) error {
	if len(seqs) == 0 {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	n, size, byPrio := o.n, o.size, o.byPrio
	err := o.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(msgBucket)
		for _, s := range seqs {
			k := key(s)
			if v := b.Get(k); v != nil {
				n--
				size -= int64(len(v))
				byPrio[priorityOf(v)]--
				if err := b.Delete(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	o.n, o.size, o.byPrio = n, size, byPrio
	return nil
}

// Stats is the queue's current state.
type Stats struct {
	// Depth is the number of queued messages, Bytes their encoded size.
	Depth int   `json:"depth"`
	Bytes int64 `json:"bytes"`
	// Dropped counts messages dropped by the bounds (or unreadable), ever.
	Dropped uint64 `json:"dropped"`
	// Corrupt counts unreadable records dropped since the agent started.
	Corrupt uint64 `json:"corrupt,omitempty"`
}

// Stats returns the queue's depth, size and drop count.
func (o *Outbox) Stats() Stats {
	o.mu.Lock()
	defer o.mu.Unlock()
	return Stats{Depth: o.n, Bytes: o.size, Dropped: o.drop, Corrupt: o.corrupt}
}

// Wake is signalled (without blocking) after each Put.
func (o *Outbox) Wake() <-chan struct{} { return o.wake }

// Check runs bbolt's consistency check.
func (o *Outbox) Check() error {
	return o.db.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}
