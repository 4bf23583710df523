package chartview

// ScopedRender tells whether RenderChange renders only what files can
// reach (scoped) and, when it does, the error of that scoped render alone
// (RenderChange falls back to a whole render when it fails).
func (c *Chart) ScopedRender(files map[string][]byte) (scoped bool, err error) {
	s, ok := c.changeScope(files)
	if !ok {
		return false, nil
	}
	_, err = c.renderScoped(s)
	return true, err
}
