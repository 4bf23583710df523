// Package docs holds the documentation hookgen prints itself: the rule pages
// of `hookgen lint --explain` come from rules.md, so the page and the
// command never disagree.
package docs

import _ "embed"

// Rules is docs/rules.md.
//
//go:embed rules.md
var Rules string
