package hub

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/trapnet/trapnet/hub/hubtest"
	"github.com/trapnet/trapnet/internal/brokertest"
)

// waitCount waits until the store holds want detections.
func waitCount(t testing.TB, s *Store, want int, within time.Duration) {
	t.Helper()
	var n int
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM detections`).Scan(&n); err == nil && n >= want {
			break
		}
	}
	if n != want {
		t.Fatalf("store holds %d detections, want %d", n, want)
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestIngestDuplicatesAndRetained(t *testing.T) {
	url := brokertest.StartMochi(t).URL
	s := openTest(t)
	pub := hubtest.NewPublisher(t, url)
	// Retained state published before the hub ever connected.
	pub.Publish("trapnet/trap-01/status", []byte("online"), true)
	g := NewIngester(s, IngestOptions{Broker: url, ClientID: "hub-dup", Logger: quietLogger()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	waitSubscribed(t, s, pub)
	for i := 0; i < 300; i++ {
		p := mustJSON(t, testDetection("trap-01", i))
		pub.Publish("trapnet/trap-01/detections", p, false)
		if i%3 == 0 { // re-delivered after a lost PUBACK
			pub.Publish("trapnet/trap-01/detections", p, false)
		}
	}
	pub.Publish("trapnet/trap-01/detections", []byte("{not json"), false)
	waitCount(t, s, 300, 30*time.Second)
	for end := time.Now().Add(5 * time.Second); g.Stats().Rejected == 0 && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	st := g.Stats()
	if st.Rejected != 1 || st.Duplicates < 100 || st.Stored+st.Duplicates+st.Rejected != st.Received {
		t.Errorf("stats %+v: want 100 duplicates (or more: retained status), 1 rejected, all accounted for", st)
	}
	traps, err := s.Traps(context.Background())
	if err != nil || len(traps) != 1 || traps[0].Status != "online" {
		t.Fatalf("traps %+v %v: want trap-01 online (retained status)", traps, err)
	}
}

// TestHubChild is the hub process of TestKillAndBrokerRestart.
func TestHubChild(t *testing.T) {
	db, url := os.Getenv("HUB_CHILD_DB"), os.Getenv("HUB_CHILD_BROKER")
	if db == "" {
		t.Skip("helper process of TestKillAndBrokerRestart")
	}
	s, err := OpenSQLite(db)
	if err != nil {
		t.Fatal(err)
	}
	// Small batches: the kill lands between many commits.
	g := NewIngester(s, IngestOptions{Broker: url, ClientID: "hub-kill", BatchSize: 16, BatchDelay: 5 * time.Millisecond, Logger: quietLogger()})
	g.Run(context.Background()) // until killed
}

// TestKillAndBrokerRestart: while a trap publishes 3,000 detections, the
// hub is killed with SIGKILL twice and restarted, and the broker is stopped
// and restarted once; the store ends with every detection exactly once.
func TestKillAndBrokerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const n = 3000
	b := startMosquitto(t)
	dbPath := filepath.Join(t.TempDir(), "hub.db")
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHubChild$")
		cmd.Env = append(os.Environ(), "HUB_CHILD_DB="+dbPath, "HUB_CHILD_BROKER="+b.url)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	hub := start()
	t.Cleanup(func() { hub.Process.Kill(); hub.Wait() })
	s, err := OpenSQLite(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pub := hubtest.NewPublisher(t, b.url)
	waitSubscribed(t, s, pub)
	for i := 0; i < n; i++ {
		switch i {
		case 700, 1900: // kill -9 the hub mid-stream; the broker keeps its session
			hub.Process.Kill()
			hub.Wait()
			hub = start()
		case 1300: // broker restart (persistent store)
			b.stop()
			b.start(t)
		}
		pub.Publish("trapnet/trap-01/detections", mustJSON(t, testDetection("trap-01", i)), false)
	}
	defer func() {
		if t.Failed() {
			missingRanges(t, s, n)
		}
	}()
	waitCount(t, s, n, 60*time.Second) // generous: make test runs packages side by side on 2 cores
	var distinctNights int
	if err := s.DB().QueryRow(`SELECT COUNT(DISTINCT night) FROM detections`).Scan(&distinctNights); err != nil || distinctNights != n/200 {
		t.Errorf("%d nights, want %d (%v)", distinctNights, n/200, err)
	}
}

// waitSubscribed waits until a retained status published now reaches the
// hub's store: the hub's session then exists on the broker.
func waitSubscribed(t testing.TB, s *Store, pub *hubtest.Publisher) {
	t.Helper()
	pub.Publish("trapnet/trap-01/status", []byte("online"), true)
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if tr, err := s.Traps(context.Background()); err == nil && len(tr) == 1 && tr[0].Status == "online" {
			return
		}
	}
	t.Fatal("the hub did not subscribe within 20 s")
}

// fakeMsg is a received MQTT message whose Ack is recorded.
type fakeMsg struct {
	topic   string
	payload []byte
	acked   *int
}

func (m fakeMsg) Duplicate() bool   { return false }
func (m fakeMsg) Qos() byte         { return 1 }
func (m fakeMsg) Retained() bool    { return false }
func (m fakeMsg) Topic() string     { return m.topic }
func (m fakeMsg) MessageID() uint16 { return 0 }
func (m fakeMsg) Payload() []byte   { return m.payload }
func (m fakeMsg) Ack()              { *m.acked++ }

// TestCommitSkipsRefused: a record the database refuses is skipped (and
// counted) without holding back the rest of its batch; when the database
// refuses everything, nothing is acknowledged.
func TestCommitSkipsRefused(t *testing.T) {
	s := openTest(t)
	if _, err := s.DB().Exec(`CREATE TRIGGER refuse BEFORE INSERT ON detections WHEN NEW.frame_id = 'frame_0003.jpg'
		BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	g := NewIngester(s, IngestOptions{Broker: "tcp://unused:1", Logger: quietLogger()})
	acked := 0
	var batch []paho.Message
	for i := 0; i < 6; i++ {
		batch = append(batch, fakeMsg{"trapnet/trap-01/detections", mustJSON(t, testDetection("trap-01", i)), &acked})
	}
	if err := g.commit(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	if st := g.Stats(); st.Stored != 5 || st.Rejected != 1 || st.Duplicates != 0 || acked != 6 {
		t.Fatalf("stats %+v, %d acked; want 5 stored, 1 rejected, 6 acked", st, acked)
	}
	if _, err := s.DB().Exec(`DROP TABLE detections`); err != nil {
		t.Fatal(err)
	}
	acked = 0
	if err := g.commit(context.Background(), batch[:3]); err == nil || acked != 0 {
		t.Fatalf("database down: err %v, %d acked; want an error and none acked", err, acked)
	}
}
