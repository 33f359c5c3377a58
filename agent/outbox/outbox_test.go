package outbox

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func msg(i int) Message {
	return Message{Topic: "trapnet/t1/detections", Payload: []byte(fmt.Sprintf(`{"id":"%06d"}`, i)), QoS: 1}
}

func open(t testing.TB, path string, opt Options) *Outbox {
	t.Helper()
	o, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

func TestFIFOAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.db")
	o, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if _, err := o.Put(msg(i)); err != nil {
			t.Fatal(err)
		}
	}
	es, _ := o.Peek(3)
	if err := o.Ack(es[0].Seq, es[1].Seq); err != nil {
		t.Fatal(err)
	}
	o.Close()
	o = open(t, path, Options{})
	es, err = o.Peek(100)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 8 || string(es[0].Payload) != `{"id":"000002"}` || es[0].Topic != "trapnet/t1/detections" || es[0].QoS != 1 {
		t.Fatalf("after reopen: %d entries, first %+v", len(es), es[0])
	}
	for i := 1; i < len(es); i++ {
		if es[i].Seq <= es[i-1].Seq {
			t.Fatal("entries out of order")
		}
	}
	if s := o.Stats(); s.Depth != 8 || s.Dropped != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestBoundsDropOldest(t *testing.T) {
	rec := int64(len(encode(msg(0))))
	cases := []struct {
		name        string
		opt         Options
		put         int
		wantDepth   int
		wantFirstID int
	}{
		{"unbounded", Options{}, 20, 20, 0},
		{"max messages", Options{MaxMessages: 5}, 20, 5, 15},
		{"max bytes", Options{MaxBytes: 7 * rec}, 20, 7, 13},
		{"both, bytes tighter", Options{MaxMessages: 10, MaxBytes: 3 * rec}, 20, 3, 17},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o.db")
			o, _ := Open(path, c.opt)
			for i := 0; i < c.put; i++ {
				if _, err := o.Put(msg(i)); err != nil {
					t.Fatal(err)
				}
			}
			o.Close()
			o = open(t, path, c.opt) // the drop count is durable
			s := o.Stats()
			if s.Depth != c.wantDepth || s.Dropped != uint64(c.put-c.wantDepth) {
				t.Fatalf("stats %+v, want depth %d dropped %d", s, c.wantDepth, c.put-c.wantDepth)
			}
			es, _ := o.Peek(1)
			if want := fmt.Sprintf(`{"id":"%06d"}`, c.wantFirstID); string(es[0].Payload) != want {
				t.Fatalf("oldest kept = %s, want %s", es[0].Payload, want)
			}
		})
	}
}

func TestAckOfDroppedIsIgnored(t *testing.T) {
	o := open(t, filepath.Join(t.TempDir(), "o.db"), Options{MaxMessages: 2})
	seqs, _ := o.Put(msg(0), msg(1), msg(2))
	if err := o.Ack(seqs[0]); err != nil {
		t.Fatal(err)
	}
	if s := o.Stats(); s.Depth != 2 || s.Dropped != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCorruptRecordIsSkipped(t *testing.T) {
	o := open(t, filepath.Join(t.TempDir(), "o.db"), Options{})
	o.Put(msg(0))
	// A damaged record (written behind the API) between two good ones.
	o.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(msgBucket)
		b.SetSequence(5)
		return b.Put(key(3), []byte{0, 9, 0xff, 0xff, 'x'})
	})
	o.n, o.size = o.n+1, o.size+5
	o.Put(msg(3))
	es, err := o.Peek(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || string(es[1].Payload) != `{"id":"000003"}` {
		t.Fatalf("entries %+v", es)
	}
	if s := o.Stats(); s.Depth != 2 || s.Dropped != 1 || s.Corrupt != 1 {
		t.Fatalf("stats %+v", s)
	}
}

// TestKill9 runs a writer subprocess that prints each sequence number after
// Put returned, kills it with SIGKILL mid-stream, and checks every printed
// message is still in the file. Repeated a few rounds on the same file.
func TestKill9(t *testing.T) {
	if os.Getenv("OUTBOX_WRITER") != "" {
		return
	}
	path := filepath.Join(t.TempDir(), "o.db")
	acked := map[uint64]bool{}
	for round := 0; round < 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriterHelper$")
		cmd.Env = append(os.Environ(), "OUTBOX_WRITER="+path)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() && n < 200+round*100 {
			s, err := strconv.ParseUint(sc.Text(), 10, 64)
			if err != nil {
				continue
			}
			acked[s] = true
			n++
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if n == 0 {
			t.Fatal("writer produced nothing")
		}
	}
	o := open(t, path, Options{})
	if err := o.Check(); err != nil {
		t.Fatalf("bbolt check after kill -9: %v", err)
	}
	es, _ := o.Peek(1 << 30)
	have := map[uint64]bool{}
	for _, e := range es {
		have[e.Seq] = true
	}
	lost := 0
	for s := range acked {
		if !have[s] {
			lost++
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d committed messages lost after kill -9", lost, len(acked))
	}
	t.Logf("%d committed messages, %d in file, none lost", len(acked), len(es))
}

// TestWriterHelper is the subprocess of TestKill9.
func TestWriterHelper(t *testing.T) {
	path := os.Getenv("OUTBOX_WRITER")
	if path == "" {
		t.Skip("helper for TestKill9")
	}
	o, err := Open(path, Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		seqs, err := o.Put(msg(i))
		if err != nil {
			os.Exit(1)
		}
		fmt.Fprintln(w, seqs[0])
		w.Flush()
	}
	os.Exit(0)
}

func BenchmarkPutDurable(b *testing.B) {
	for _, batch := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			o := open(b, filepath.Join(b.TempDir(), "o.db"), Options{MaxMessages: 1 << 20})
			msgs := make([]Message, batch)
			for i := range msgs {
				msgs[i] = Message{Topic: "trapnet/t1/detections", Payload: make([]byte, 400), QoS: 1}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := o.Put(msgs...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
	}
}

func BenchmarkPutAck(b *testing.B) {
	o := open(b, filepath.Join(b.TempDir(), "o.db"), Options{})
	m := Message{Topic: "trapnet/t1/detections", Payload: make([]byte, 400), QoS: 1}
	for i := 0; i < b.N; i++ {
		seqs, err := o.Put(m)
		if err != nil {
			b.Fatal(err)
		}
		if err := o.Ack(seqs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// State is committed with the messages; a failed commit (full disk)
// leaves neither messages nor state behind.
func TestPutStateAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.db")
	fail := true
	o, err := Open(path, Options{BeforeCommit: func() error {
		if fail {
			return syscall.ENOSPC
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.PutState(map[string][]byte{"k": []byte("v1")}, Message{Topic: "t", Payload: []byte("a")}); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err %v", err)
	}
	if v, _ := o.State("k"); v != nil || o.Stats().Depth != 0 {
		t.Fatalf("failed commit left state %q, depth %d", v, o.Stats().Depth)
	}
	fail = false
	if _, err := o.PutState(map[string][]byte{"k": []byte("v2")}, Message{Topic: "t", Payload: []byte("a")}); err != nil {
		t.Fatal(err)
	}
	o.Close()
	o, _ = Open(path, Options{})
	defer o.Close()
	if v, _ := o.State("k"); string(v) != "v2" || o.Stats().Depth != 1 {
		t.Fatalf("after reopen state %q, depth %d", v, o.Stats().Depth)
	}
}

// Case 10 of issue 13: a full queue drops the lowest priority first
// (frame summaries before detections before alerts), oldest first within
// a priority, and counts every drop.
func TestDropLowestPriorityFirst(t *testing.T) {
	o, err := Open(filepath.Join(t.TempDir(), "o.db"), Options{MaxMessages: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	m := func(name string, prio byte) Message {
		return Message{Topic: name, Payload: []byte(name), QoS: 1, Priority: prio}
	}
	steps := []struct {
		put  Message
		want string
	}{
		{m("alert1", 2), "alert1"},
		{m("det1", 1), "alert1,det1"},
		{m("frame1", 0), "alert1,det1,frame1"},
		{m("det2", 1), "alert1,det1,det2"},
		{m("det3", 1), "alert1,det2,det3"},
		{m("alert2", 2), "alert1,det3,alert2"},
		{m("frame2", 0), "alert1,det3,alert2"}, // the newest, but the lowest priority
	}
	for i, s := range steps {
		if _, err := o.Put(s.put); err != nil {
			t.Fatal(err)
		}
		es, _ := o.Peek(10)
		var got []string
		for _, e := range es {
			got = append(got, e.Topic)
			if e.Priority != map[byte]byte{'a': 2, 'd': 1, 'f': 0}[e.Topic[0]] {
				t.Fatalf("%s read back with priority %d", e.Topic, e.Priority)
			}
		}
		if strings.Join(got, ",") != s.want {
			t.Fatalf("step %d: queue %v, want %s", i, got, s.want)
		}
	}
	if d := o.Stats().Dropped; d != 4 {
		t.Fatalf("dropped %d, want 4", d)
	}
}
