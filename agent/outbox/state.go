package outbox

import (
	bolt "go.etcd.io/bbolt"
)

func putState(tx *bolt.Tx, state map[string][]byte) error {
	if len(state) == 0 {
		return nil
	}
	b := tx.Bucket(stateBucket)
	for k, v := range state {
		var err error
		if v == nil {
			err = b.Delete([]byte(k))
		} else {
			err = b.Put([]byte(k), v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// State returns a copy of the state value stored under key by PutState
// (nil if none).
func (o *Outbox) State(key string) ([]byte, error) {
	var out []byte
	err := o.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(stateBucket).Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	return out, err
}
