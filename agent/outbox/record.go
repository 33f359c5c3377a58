package outbox

import (
	"encoding/binary"
	"fmt"
)

func key(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// encode: flags(1: bit 0 retained, bits 1-2 priority) qos(1) topicLen(2)
// topic payload.
func encode(m Message) []byte {
	v := make([]byte, 4+len(m.Topic)+len(m.Payload))
	if m.Retained {
		v[0] = 1
	}
	v[0] |= min(m.Priority, MaxPriority) << 1
	v[1] = m.QoS
	binary.BigEndian.PutUint16(v[2:], uint16(len(m.Topic)))
	copy(v[4:], m.Topic)
	copy(v[4+len(m.Topic):], m.Payload)
	return v
}

func decode(v []byte) (Message, error) {
	if len(v) < 4 {
		return Message{}, fmt.Errorf("record of %d bytes is too short", len(v))
	}
	tl := int(binary.BigEndian.Uint16(v[2:]))
	if 4+tl > len(v) || v[1] > 2 {
		return Message{}, fmt.Errorf("corrupt record (topic length %d, qos %d, size %d)", tl, v[1], len(v))
	}
	return Message{
		Retained: v[0]&1 != 0,
		Priority: priorityOf(v),
		QoS:      v[1],
		Topic:    string(v[4 : 4+tl]),
		Payload:  append([]byte(nil), v[4+tl:]...),
	}, nil
}

// priorityOf reads the priority bits of an encoded record (0 if too short).
func priorityOf(v []byte) byte {
	if len(v) == 0 {
		return 0
	}
	return (v[0] >> 1) & MaxPriority
}
