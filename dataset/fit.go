package dataset

import "github.com/trapnet/trapnet/metadata"

// FitMetadata fits schema (nil: metadata.DefaultBIOSCAN()) on the metadata
// of samples (pass the train split), streaming with metadata.NewFitter, and
// returns the fitted schema.
func FitMetadata(samples []Sample, schema *metadata.Schema) (*metadata.Schema, error) {
	if schema == nil {
		schema = metadata.DefaultBIOSCAN()
	}
	ft, err := metadata.NewFitter(schema)
	if err != nil {
		return nil, err
	}
	row := metadata.Row{}
	for i := range samples {
		samples[i].Meta.Fill(row)
		ft.Add(row)
	}
	return ft.Finish(), nil
}

// FitMetadata fits schema (nil: the default BIOSCAN schema) on d's train
// split.
func (d *Dataset) FitMetadata(schema *metadata.Schema) (*metadata.Schema, error) {
	return FitMetadata(d.Split(SplitTrain), schema)
}
