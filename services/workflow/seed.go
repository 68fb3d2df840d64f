package workflow

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/calc"
	"github.com/govstackbb/marketplace/services/workflow/internal/events"
	"github.com/govstackbb/marketplace/services/workflow/internal/store"
	"github.com/govstackbb/marketplace/services/workflow/processes"
)

// Seed deploys the processes shipped in processes/ (procurement evaluation, probation case work) whose
// process is not deployed yet; run again, it deploys nothing.
func Seed(ctx context.Context, pool *pgxpool.Pool) error {
	timers, err := calc.NewTimers("EE")
	if err != nil {
		return err
	}
	exprs := calc.Expressions{}
	uc := app.New(store.New(pool, events.Encode), app.Options{Expressions: exprs, Timers: timers, CheckExpression: exprs.Check,
		CheckTimer: timers.Check, Logger: slog.Default()})
	files, err := fs.Glob(processes.Files, "*.bpmn")
	if err != nil {
		return err
	}
	for _, name := range files {
		data, err := fs.ReadFile(processes.Files, name)
		if err != nil {
			return err
		}
		defs, err := bpmn.Parse(data, bpmn.Options{})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		deployed := true
		for _, p := range defs.Processes {
			if _, err := uc.Process(ctx, p.ID); apierr.KindOf(err) == apierr.KindNotFound {
				deployed = false
			}
		}
		if deployed {
			continue
		}
		if _, err := uc.Deploy(ctx, app.DeployInput{XML: string(data), VersionTag: "shipped", Field: name}); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
