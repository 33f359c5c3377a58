package search

// The records of search.jsonl, one JSON object per line, told apart by
// "kind".

// ScheduleLog (kind "schedule") starts every run (and every resume).
type ScheduleLog struct {
	Kind         string  `json:"kind"`
	Steps        int     `json:"steps"`
	WarmupSteps  int     `json:"warmup_steps"`
	ArchLR       float64 `json:"arch_lr"`
	LogitBudget  float64 `json:"logit_budget"`
	StopPatience int     `json:"stop_patience"`
}

// StepLog (kind "step") follows every pair step; ArchStep is false during
// warm-up (no architecture step: ValLoss and ValAcc are zero).
type StepLog struct {
	Kind          string  `json:"kind"`
	Step          int     `json:"step"`
	Epoch         int     `json:"epoch"`
	ArchStep      bool    `json:"arch_step"`
	TrainLoss     float64 `json:"train_loss"`
	TrainAcc      float64 `json:"train_acc"`
	ValLoss       float64 `json:"val_loss"`
	ValAcc        float64 `json:"val_acc"`
	LR            float64 `json:"lr"`
	EntropyNormal float64 `json:"alpha_entropy_normal"`
	EntropyReduce float64 `json:"alpha_entropy_reduce"`
	ImagesPerSec  float64 `json:"images_per_s"`
	GlobalStep    int64   `json:"global_step"`
}

// AlphasLog (kind "alphas") is the alpha softmax of both cell types,
// written every total/200 steps, at the end of warm-up and at the last step.
type AlphasLog struct {
	Kind string `json:"kind"`
	AlphaStep
}

// EpochLog (kind "epoch") averages an epoch's steps (validation over its
// architecture steps only).
type EpochLog struct {
	Kind         string  `json:"kind"`
	Epoch        int     `json:"epoch"`
	Step         int     `json:"step"`
	TrainLoss    float64 `json:"train_loss"`
	TrainAcc     float64 `json:"train_acc"`
	ValLoss      float64 `json:"val_loss"`
	ValAcc       float64 `json:"val_acc"`
	AlphaEntropy float64 `json:"alpha_entropy"`
}

// StopLog (kind "early_stop") says why the search stopped before its last
// epoch.
type StopLog struct {
	Kind   string `json:"kind"`
	Epoch  int    `json:"epoch"`
	Reason string `json:"reason"`
}
