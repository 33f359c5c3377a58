package metrics

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// EpochLog is one line of RUN/train.jsonl.
type EpochLog struct {
	Epoch         int     `json:"epoch"`
	Step          int64   `json:"step"`
	LR            float64 `json:"lr"`
	TrainLoss     float64 `json:"train_loss"`
	TrainAccuracy float64 `json:"train_accuracy"`
	ValLoss       float64 `json:"val_loss"`
	ValAccuracy   float64 `json:"val_accuracy"`
	ValMacroF1    float64 `json:"val_macro_f1"`
	Seconds       float64 `json:"seconds"`
	ImagesPerSec  float64 `json:"images_per_sec"`
	// Best is true when this epoch improved the best validation macro-F1.
	Best bool `json:"best"`
}

// AppendLog appends one record to a JSONL file.
func AppendLog(path string, e EpochLog) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	b, err := json.Marshal(e)
	if err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadLog reads a JSONL training log. A missing file is an empty log.
func ReadLog(path string) ([]EpochLog, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []EpochLog
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var e EpochLog
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}
