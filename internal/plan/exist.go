package plan

// ReleaseObjects are the objects an operation starts with in the cluster:
// none before install; the release's own resources (the previous revision's,
// taken as this render's) before every other operation.
func ReleaseObjects(p *Plan, op Operation) map[Ref]bool {
	have := map[Ref]bool{}
	if op == Install {
		return have
	}
	for _, o := range p.Operations {
		for _, s := range o.Steps {
			if s.Action == ActionApplyRelease || s.Action == ActionDeleteRelease {
				for _, r := range s.Resources {
					have[bare(r)] = true
				}
				for _, k := range s.Kept {
					have[bare(k.Ref)] = true
				}
			}
		}
	}
	return have
}

// ExistingAt replays an operation's steps and returns the objects (kind and
// name, namespaces ignored) that exist when the hook kind/name is created
// at event, starting from start; ok is false when the hook is not created
// then. Objects that exist before the release (an existingSecret) are not
// in it: the caller knows them as objects neither the release nor a hook
// creates.
func ExistingAt(op OperationPlan, start map[Ref]bool, event, kind, name string) (have map[Ref]bool, ok bool) {
	have = map[Ref]bool{}
	for r := range start {
		have[r] = true
	}
	for _, s := range op.Steps {
		r := Ref{Kind: s.Kind, Name: s.Name}
		switch s.Action {
		case ActionApplyRelease:
			for _, x := range s.Resources {
				have[bare(x)] = true
			}
		case ActionDeleteRelease:
			for _, x := range s.Resources {
				delete(have, bare(x))
			}
		case ActionCreate:
			if s.Event == event && s.Kind == kind && s.Name == name {
				return have, true
			}
			have[r] = true
		case ActionDelete:
			delete(have, r)
		}
	}
	return have, false
}

func bare(r Ref) Ref { return Ref{Kind: r.Kind, Name: r.Name} }
