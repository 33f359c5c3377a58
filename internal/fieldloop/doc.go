// Package fieldloop holds the tests of trapnet's field loop: crops an agent
// was unsure about are labelled, imported into a dataset (trainer import),
// used to fine-tune the model (trainer train --init), evaluated against the
// old model, quantised, signed and sent back to the agent, which swaps
// models. It has no code of its own; the tests drive the library entry
// points of the agent and the trainer side by side, which no other package
// may do (the agent imports nothing from training).
package fieldloop
