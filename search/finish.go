package search

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
)

// nextVal returns the next search-val batch, starting a new pass over the
// split when one ends.
func nextVal(val Source, st runState) (*Batch, error) {
	vb, err := val.Next()
	if errors.Is(err, io.EOF) {
		val.Reset(st.Epoch + 1000*st.Step)
		vb, err = val.Next()
	}
	if err != nil {
		return nil, fmt.Errorf("search-val batch: %w", err)
	}
	return vb, nil
}

// finish derives and writes the genotype and the alpha plot.
func finish(arch *Architect, cfg RunConfig, st runState, warmup int) (*Genotype, error) {
	an, ar, err := arch.Alphas()
	if err != nil {
		return nil, err
	}
	geno, err := Derive(arch.Net.Ops, arch.Net.Nodes, an, ar, cfg.Derive)
	if err != nil {
		return nil, err
	}
	d := geno.Decide()
	d.Decided = cfg.Schedule.Decided(d)
	geno.Decision = &d
	geno.Settings = &SearchSettings{Fusion: arch.Net.Fusion, Cells: arch.Net.Cells, Nodes: arch.Net.Nodes,
		Channels: arch.Net.Channels, Size: cfg.Size, Batch: cfg.Batch, Steps: st.Step, WarmupSteps: min(warmup, st.Step),
		ArchLR: cfg.Opt.ArchLR, Seed: cfg.Seed, SecondOrder: cfg.Opt.SecondOrder}
	if cfg.Params != nil {
		if geno.Params, err = cfg.Params(geno); err != nil {
			return nil, err
		}
	}
	if err := geno.Save(filepath.Join(cfg.Out, "genotype.json")); err != nil {
		return nil, err
	}
	if err := plotAll(cfg.Out, geno, RowSoftmax(an), RowSoftmax(ar), arch.Net.Nodes); err != nil {
		return nil, err
	}
	return geno, nil
}
