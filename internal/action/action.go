// Package action runs hookgen's commands the way Helm's pkg/action runs
// Helm's: each action takes its options, orchestrates the packages (inspect
// the chart, generate, verify, stage the changeset, apply it all or nothing)
// and returns a result for the command to print. Questions go through a
// prompter.Prompter; nothing here binds flags or prints a result, and every
// error it returns carries its exit code (cmdutil).
package action
