package action

import (
	"context"
	"os"
	"os/signal"

	"github.com/hookgen/hookgen/internal/prompter"
)

// interruptible makes an interrupt signal during the questions (Ctrl-C
// while hookgen renders between them, or kill -INT while one waits) end the
// run as Ctrl-C at a question does: the question returns ErrInterrupted and
// the action returns exit 130 through its normal path, so deferred clean-ups
// run (init --create's temporary chart) and nothing is written. Call done
// before writing: it stops the handling, so an interrupt while writing gets
// Go's default handling and the changeset's journal, and it reports an
// interrupt that came after the last question.
func interruptible(ctx context.Context, p prompter.Prompter) (_ prompter.Prompter, done func() error) {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	return prompter.WithContext(p, ctx), func() error {
		interrupted := ctx.Err() != nil
		stop()
		if interrupted {
			return classify(prompter.ErrInterrupted)
		}
		return nil
	}
}

// asker holds the questions of one run: the prompter bound to the run's
// interrupts, or none when the run must not ask.
type asker struct {
	p    prompter.Prompter // nil: never ask
	done func() error
}

func newAsker(ctx context.Context, p prompter.Prompter) *asker {
	if p == nil {
		return &asker{done: func() error { return nil }}
	}
	a := &asker{}
	a.p, a.done = interruptible(ctx, p)
	return a
}

func (a *asker) asks() bool { return a.p != nil }
