// Package valuesedit makes surgical, comment-preserving edits to a chart's
// values.yaml: it adds or removes one child entry under a top-level map key
// and leaves every other byte of the file as it was.
//
// yaml.v3's Node API is used only to locate keys (line numbers) and to check
// the result; the edit itself is text spliced in at line boundaries, because
// re-encoding a Node tree would reflow comments, quoting and indentation.
// Every edit is verified before it is returned: the file decoded after the
// edit must equal the file decoded before plus (or minus) exactly the entry,
// otherwise the edit is refused with ErrUnsafe rather than written.
package valuesedit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/hookgen/hookgen/internal/oneline"
)

// Block is one child entry hookgen adds under a top-level map key.
type Block struct {
	Parent       string // top-level key, e.g. "hooks"
	ParentHeader string // comment lines written above Parent when Insert creates it; may be empty
	Name         string // child key, e.g. "migration"
	Body         string // YAML of the child's content at indent 0, e.g. "# -- Run it\nenabled: true\n"
	Comment      string // optional comment lines written just above "Name:"
	// EmptyAs is how Remove writes Parent when it empties a Parent that
	// Insert did not create: what EmptyForm said before the first Insert
	// ("" for "{}", BareParent, or a null word such as "~").
	EmptyAs string
}

// BareParent is EmptyForm's word for a parent written "key:" with nothing.
const BareParent = "bare"

// EmptyForm returns how the top-level key parent is written when it is
// empty: "" for "{}" (or when it is absent, not empty, or the file does not
// parse), BareParent for "key:", or its null word ("~", "null", "Null",
// "NULL"). Helm reads a null parent differently from an empty map (null
// deletes the key when values are coalesced), so add then remove gives the
// same form back.
func EmptyForm(src []byte, parent string) string {
	// A key is spelt out in the file unless a quoted scalar escapes it
	// ("\x68ooks"): with neither its name nor a backslash in the file there
	// is no such key, and no need to parse a values file of any size.
	if !bytes.Contains(src, []byte(parent)) && bytes.IndexByte(src, '\\') < 0 {
		return ""
	}
	d, err := parseAs(src, false)
	if err != nil {
		return ""
	}
	e := d.find(parent)
	if e == nil || e.val.Kind != yaml.ScalarNode || e.val.ShortTag() != "!!null" {
		return ""
	}
	if _, _, ok := d.emptyValueSpan(e); !ok {
		return ""
	}
	if e.val.Value == "" {
		return BareParent
	}
	return e.val.Value
}

// Sentinel kinds; an *Error unwraps to one of them, so callers can use errors.Is.
var (
	// ErrExists: Parent.Name is already there with different content (Insert).
	ErrExists = errors.New("entry exists with different content")
	// ErrModified: Parent.Name differs from what Insert would have written (Remove).
	ErrModified = errors.New("entry was changed after it was added")
	// ErrSyntax: the values file does not parse.
	ErrSyntax = errors.New("values file does not parse")
	// ErrNotMap: the file or the Parent key is not a map.
	ErrNotMap = errors.New("not a map")
	// ErrMultiDoc: the values file holds more than one YAML document.
	ErrMultiDoc = errors.New("more than one YAML document")
	// ErrUnsupported: a shape hookgen does not edit (flow map, alias, tag, odd line breaks).
	ErrUnsupported = errors.New("unsupported values file shape")
	// ErrUnsafe: the edit would have changed more than the entry; nothing is returned.
	ErrUnsafe = errors.New("edit would change other values")
	// ErrBlock: the Block itself is invalid (a caller bug).
	ErrBlock = errors.New("invalid block")
	// ErrTooLarge: the edited file would be larger than Helm loads.
	ErrTooLarge = errors.New("values file too large")
)

// MaxValuesSize is the largest values file Insert returns: Helm 3 refuses
// to load a chart with a file over 5 MiB (loader.MaxDecompressedFileSize,
// checked in helm.sh/helm/v3 pkg/chart/loader/directory.go), and a chart
// hookgen writes must load with Helm 3 and 4. Helm 4 only limits the whole
// chart (100 MiB, archive.MaxDecompressedChartSize).
var MaxValuesSize = 5 * 1024 * 1024

// Error describes why a values file cannot be edited, naming the line.
type Error struct {
	File string // file name used in the message; "values.yaml" when empty
	Line int    // 1-based line in the file; 0 when not tied to a line
	Kind error  // one of the Err* sentinels
	Msg  string // what is wrong and what to do
}

func (e *Error) Error() string {
	f := e.File
	if f == "" {
		f = "values.yaml"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", f, e.Line, e.Msg)
	}
	return f + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Kind }

func errf(kind error, line int, format string, a ...any) *Error {
	return &Error{Kind: kind, Line: line, Msg: fmt.Sprintf(format, a...)}
}

// doc is a values file split into lines. Lines keep a trailing "\r" when the
// file has CRLF line ends, so untouched lines are re-joined byte for byte.
type doc struct {
	bom   bool
	crlf  bool     // style for inserted lines: the first line ends in CRLF
	lines []string // raw lines without the "\n"
	final bool     // the last line ends with a line break (true for an empty file)

	root       *yaml.Node // top-level block mapping; nil when the document is empty
	rootIndent int        // column (0-based) of top-level keys
	unit       int        // the file's indentation step
	decoded    any        // the whole document decoded
}

const bom = "\uFEFF"

var yamlLineRE = regexp.MustCompile(`^yaml: (?:unmarshal errors:\n\s*)?line (\d+): `)

func parse(src []byte) (*doc, error) { return parseAs(src, true) }

// parseAs is parse; without decode, doc.decoded stays nil (a reader of the
// node tree only saves decoding the whole file).
func parseAs(src []byte, decode bool) (*doc, error) {
	d := &doc{final: true, unit: 2}
	text := string(src)
	if strings.HasPrefix(text, bom) {
		d.bom = true
		text = text[len(bom):]
	}
	if text != "" {
		d.lines = strings.Split(text, "\n")
		if d.lines[len(d.lines)-1] == "" {
			d.lines = d.lines[:len(d.lines)-1]
		} else {
			d.final = false
		}
	}
	// yaml.v3 counts lone CR, NEL, LS and PS as line breaks too; its line
	// numbers would then disagree with ours, so such files are refused.
	for i, l := range d.lines {
		if j := strings.IndexByte(l, '\r'); j >= 0 && (j != len(l)-1 || i == len(d.lines)-1 && !d.final) {
			return nil, errf(ErrUnsupported, i+1, "carriage return without line feed; convert the file to LF or CRLF line ends")
		}
		if !utf8.ValidString(l) {
			return nil, errf(ErrUnsupported, i+1, "the file is not UTF-8 text; save it as UTF-8")
		}
		if strings.ContainsAny(l, "\u0085\u2028\u2029") {
			return nil, errf(ErrUnsupported, i+1, "unicode line separator (NEL, LS or PS); remove it or escape it in a quoted string")
		}
		if strings.Contains(l, bom) {
			return nil, errf(ErrUnsupported, i+1, "byte order mark inside the file; remove it")
		}
	}
	d.crlf = len(d.lines) > 0 && strings.HasSuffix(d.lines[0], "\r")

	dec := yaml.NewDecoder(strings.NewReader(text))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxErr(err)
		}
		docs = append(docs, &n)
		if len(docs) > 1 {
			return nil, errf(ErrMultiDoc, n.Line, "a second YAML document starts here; a values file must hold one document")
		}
	}
	if len(docs) == 0 || len(docs[0].Content) == 0 {
		return d, nil
	}
	if decode {
		var err error
		if d.decoded, err = decodeNode(docs[0]); err != nil {
			return nil, syntaxErr(err)
		}
	}
	top := docs[0].Content[0]
	switch {
	case top.Kind == yaml.ScalarNode && top.Tag == "!!null" && top.Value == "" && top.Anchor == "" && top.Style&yaml.TaggedStyle == 0:
		return d, nil // "---" alone: an empty document
	case top.Kind != yaml.MappingNode:
		return nil, errf(ErrNotMap, top.Line, "the file is a %s, not a map of values; values.yaml must be a map", kindName(top))
	case top.Style&yaml.FlowStyle != 0:
		return nil, errf(ErrUnsupported, top.Line, "the file is one flow map ({...}); rewrite it as a block map to let hookgen edit it")
	}
	if l := d.explicitKey(top); l > 0 {
		return nil, errf(ErrUnsupported, l, "explicit key (\"? key\") at the top level; write it as \"key: value\" to let hookgen edit the file")
	}
	d.root = top
	if len(top.Content) > 0 {
		d.rootIndent = top.Content[0].Column - 1
	}
	d.unit = detectUnit(top)
	return d, nil
}

// explicitKey returns the line of the first key of map m written in the
// explicit "? key" form, or 0. Text appended after such an entry can be read
// as its value, so hookgen does not edit these maps.
func (d *doc) explicitKey(m *yaml.Node) int {
	for i := 0; i < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Line-1 < len(d.lines) && strings.HasPrefix(strings.TrimLeft(d.lines[k.Line-1], " "), "?") {
			return k.Line
		}
	}
	return 0
}

func syntaxErr(err error) *Error {
	msg := err.Error()
	line := 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return errf(ErrSyntax, line, "does not parse: %s; fix the YAML first", oneline.Of(msg))
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	case yaml.MappingNode:
		return "map"
	}
	if n.Tag == "!!null" {
		return "null"
	}
	return "scalar"
}

// detectUnit returns the indentation step of the first nested block map in
// file order (the file's own style), or 2.
func detectUnit(n *yaml.Node) int {
	if n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 && v.Content[0].Line > k.Line {
				if d := v.Content[0].Column - k.Column; d > 0 && d <= 8 {
					return d
				}
			}
		}
	}
	return 2
}

func (d *doc) bytes() []byte {
	var b bytes.Buffer
	if d.bom {
		b.WriteString(bom)
	}
	b.WriteString(strings.Join(d.lines, "\n"))
	if d.final && len(d.lines) > 0 {
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// splice replaces lines [i, j) with repl (lines without line ends; CR is
// added here for CRLF files). It keeps the file's trailing-newline style:
// a file without a final line break still has none afterwards.
func (d *doc) splice(i, j int, repl []string) {
	cr := ""
	if d.crlf {
		cr = "\r"
	}
	add := make([]string, len(repl))
	for k, l := range repl {
		add[k] = l + cr
	}
	atEnd := j == len(d.lines)
	if !d.final && atEnd && len(add) > 0 && i == j && i > 0 {
		// Appending after an unterminated last line: it gets a line end, the
		// new last line gets none.
		d.lines[i-1] += cr
		add[len(add)-1] = strings.TrimSuffix(add[len(add)-1], "\r")
	}
	if !d.final && atEnd && i < j && len(add) == 0 && i > 0 {
		// Removing the unterminated last lines: the new last line loses its end.
		d.lines[i-1] = strings.TrimSuffix(d.lines[i-1], "\r")
	}
	if !d.final && atEnd && i < j && len(add) > 0 {
		add[len(add)-1] = strings.TrimSuffix(add[len(add)-1], "\r")
	}
	out := make([]string, 0, len(d.lines)-(j-i)+len(add))
	out = append(out, d.lines[:i]...)
	out = append(out, add...)
	out = append(out, d.lines[j:]...)
	d.lines = out
	if len(d.lines) == 0 {
		d.final = true
	}
}

func trimCR(s string) string { return strings.TrimSuffix(s, "\r") }

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func isComment(s string) bool { return strings.HasPrefix(strings.TrimLeft(s, " \t"), "#") }

func isDocEnd(s string) bool {
	s = trimCR(s)
	return s == "..." || strings.HasPrefix(s, "... ") || strings.HasPrefix(s, "...\t")
}

// entry is a top-level key and its value.
type entry struct {
	key, val *yaml.Node
	limit    int // 0-based line index where its text ends at the latest: the next top-level key's line, or the end of the file

	last bool // the last top-level key
}

func (d *doc) find(parent string) *entry {
	if d.root == nil {
		return nil
	}
	// A key given twice: the later one is the value (Helm's reading).
	for i := len(d.root.Content) - 2; i >= 0; i -= 2 {
		k := d.root.Content[i]
		if k.Kind == yaml.ScalarNode && k.Value == parent && k.Tag != "!!merge" {
			e := &entry{key: k, val: d.root.Content[i+1], limit: len(d.lines), last: i+2 == len(d.root.Content)}
			if !e.last {
				e.limit = d.root.Content[i+2].Line - 1
			}
			return e
		}
	}
	return nil
}

// blockEnd is the line index after the last line that belongs to the
// top-level entry starting at line start: trailing blank lines, comments at
// top-level indentation (they introduce the next key or end the file) and
// document end markers are left outside.
func (d *doc) blockEnd(start, limit int) int { return d.blockEndBlanks(start, limit, true) }

// blockEndBlanks is blockEnd, optionally keeping trailing blank lines inside
// the entry: they are content of a keep-chomped block scalar ("|+").
func (d *doc) blockEndBlanks(start, limit int, skipBlank bool) int {
	e := limit
	for e > start+1 {
		l := trimCR(d.lines[e-1])
		if skipBlank && isBlank(l) || isComment(l) && indentOf(l) <= d.rootIndent || isDocEnd(l) {
			e--
			continue
		}
		break
	}
	return e
}

// appendAt is where a new top-level key goes: the end of the file, or just
// before a final "..." document end marker.
func (d *doc) appendAt() int {
	last := 0
	if d.root != nil && len(d.root.Content) > 0 {
		last = d.root.Content[len(d.root.Content)-2].Line - 1
	}
	for i := last; i < len(d.lines); i++ {
		if isDocEnd(d.lines[i]) {
			return i
		}
	}
	return len(d.lines)
}

func keyText(s string) string {
	out, err := yaml.Marshal(s)
	t := strings.TrimSuffix(string(out), "\n")
	if err != nil || strings.Contains(t, "\n") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, ">") {
		return strconv.Quote(s)
	}
	return t
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

var blockScalarRE = regexp.MustCompile(`(?m)[|>][-+0-9]*[ \t]*(#.*)?$`)

// render returns the lines of b's entry with the key at column ind and the
// body one indentation step (unit) deeper. The body comes with a 2-space
// step; it is rescaled to the file's step unless it holds block scalars
// (whose content must not be re-indented) or odd indentation.
func (b Block) render(ind, unit int) []string {
	pad := strings.Repeat(" ", ind)
	var out []string
	for _, c := range splitLines(b.Comment) {
		out = append(out, pad+strings.TrimRight(c, " "))
	}
	out = append(out, pad+keyText(b.Name)+":")
	body := splitLines(b.Body)
	scale := unit != 2 && !blockScalarRE.MatchString(strings.Join(body, "\n"))
	for _, l := range body {
		if indentOf(l)%2 != 0 {
			scale = false
		}
	}
	for _, l := range body {
		if isBlank(l) {
			out = append(out, "")
			continue
		}
		n := indentOf(l)
		if scale {
			n = n / 2 * unit
		}
		out = append(out, pad+strings.Repeat(" ", unit+n)+strings.TrimLeft(l, " "))
	}
	return out
}

func (b Block) headerLines(ind int) []string {
	pad := strings.Repeat(" ", ind)
	var out []string
	for _, c := range splitLines(b.ParentHeader) {
		out = append(out, pad+strings.TrimRight(c, " "))
	}
	return out
}

// check validates b and returns its body decoded.
func (b Block) check() (any, error) {
	if b.Parent == "" || b.Name == "" {
		return nil, errf(ErrBlock, 0, "block needs a parent key and a name")
	}
	for _, c := range append(splitLines(b.Comment), splitLines(b.ParentHeader)...) {
		if !strings.HasPrefix(strings.TrimSpace(c), "#") {
			return nil, errf(ErrBlock, 0, "comment line %q does not start with #", c)
		}
	}
	v, err := decodeText(b.Body)
	if err != nil {
		return nil, errf(ErrBlock, 0, "block body for %q does not parse: %v", b.Name, err)
	}
	if v == nil {
		return nil, errf(ErrBlock, 0, "block body for %q is empty", b.Name)
	}
	return v, nil
}

// parentMap returns the Parent entry's value kind, or an error naming the line
// when it cannot take children.
func (d *doc) parentMap(b Block, e *entry) (isMap bool, err error) {
	v := e.val
	line := e.key.Line
	where := fmt.Sprintf("key %q", b.Parent)
	other := "; choose another key with --values-key"
	switch {
	case v.Kind == yaml.AliasNode:
		return false, errf(ErrUnsupported, line, "%s is an alias (*%s); write it out as a map or choose another key with --values-key", where, v.Value)
	case v.Kind == yaml.SequenceNode:
		return false, errf(ErrNotMap, line, "%s is a list, not a map%s", where, other)
	case v.Kind == yaml.ScalarNode && v.Tag != "!!null":
		return false, errf(ErrNotMap, line, "%s is a scalar (%s), not a map%s", where, strings.TrimPrefix(v.Tag, "!!"), other)
	case v.Style&yaml.TaggedStyle != 0:
		return false, errf(ErrUnsupported, line, "%s has an explicit tag (%s); remove it or choose another key with --values-key", where, v.Tag)
	case v.Kind == yaml.MappingNode && len(v.Content) > 0 && v.Style&yaml.FlowStyle != 0:
		return false, errf(ErrUnsupported, line, "%s is a flow map ({...}); rewrite it as a block map or choose another key with --values-key", where)
	case v.Kind == yaml.MappingNode && len(v.Content) > 0:
		if v.Anchor != "" && d.aliased(v.Anchor) {
			return false, errf(ErrUnsupported, line, "%s is anchored (&%s) and reused by an alias, which would change too; choose another key with --values-key", where, v.Anchor)
		}
		if _, ok := asMap(d.decoded)[e.key.Value].(map[string]any); !ok {
			return false, errf(ErrUnsupported, line, "%s has keys that are not strings; choose another key with --values-key", where)
		}
		if l := d.explicitKey(v); l > 0 {
			return false, errf(ErrUnsupported, l, "%s has an explicit key (\"? key\"); write it as \"key: value\" or choose another key with --values-key", where)
		}
		if v.Content[0].Line <= e.key.Line {
			return false, errf(ErrUnsupported, line, "%s has its first child on the same line; put it on its own line", where)
		}
		return true, nil
	}
	// Empty: null ("hooks:", "hooks: null", "hooks: ~") or "{}".
	if v.Anchor != "" {
		return false, errf(ErrUnsupported, line, "%s is anchored (&%s); choose another key with --values-key", where, v.Anchor)
	}
	if _, _, ok := d.emptyValueSpan(e); !ok {
		return false, errf(ErrUnsupported, line, "%s has an empty value hookgen cannot rewrite; write it as %q", where, b.Parent+": {}")
	}
	return false, nil
}

func (d *doc) aliased(anchor string) bool {
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n.Kind == yaml.AliasNode && n.Value == anchor {
			return true
		}
		for _, c := range n.Content {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(d.root)
}

// keyColon returns the byte offset just after the ':' that ends the key
// starting at column col of line.
func keyColon(line string, col int) (int, bool) {
	if col > len(line) {
		return 0, false
	}
	i := col
	if i < len(line) && (line[i] == '"' || line[i] == '\'') {
		q := line[i]
		i++
		for i < len(line) {
			if line[i] == '\\' && q == '"' {
				i += 2
				continue
			}
			if line[i] == q {
				if q == '\'' && i+1 < len(line) && line[i+1] == '\'' {
					i += 2
					continue
				}
				break
			}
			i++
		}
		i++
	} else {
		for i < len(line) && !(line[i] == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t' || line[i+1] == '\r')) {
			i++
		}
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i >= len(line) || line[i] != ':' {
		return 0, false
	}
	return i + 1, true
}

// emptyValueSpan finds the text of an empty Parent value on the key's line:
// [from, to) covers the separating blanks and "{}", "null" or "~" (empty for
// a bare "hooks:"). ok is false when the value is elsewhere (another line).
func (d *doc) emptyValueSpan(e *entry) (from, to int, ok bool) {
	li := e.key.Line - 1
	if li >= len(d.lines) {
		return 0, 0, false
	}
	line := trimCR(d.lines[li])
	c, ok := keyColon(line, e.key.Column-1)
	if !ok {
		return 0, 0, false
	}
	rest := line[c:]
	trimmed := strings.TrimLeft(rest, " \t")
	ws := len(rest) - len(trimmed)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") && ws > 0 {
		if e.val.Kind == yaml.ScalarNode && e.val.Value == "" && e.val.Line == e.key.Line {
			return c, c, true // bare "hooks:"
		}
		return 0, 0, false
	}
	var tok string
	switch {
	case e.val.Kind == yaml.MappingNode:
		if !strings.HasPrefix(trimmed, "{") {
			return 0, 0, false
		}
		inner := strings.TrimLeft(trimmed[1:], " \t")
		if !strings.HasPrefix(inner, "}") {
			return 0, 0, false
		}
		tok = trimmed[:len(trimmed)-len(inner)+1]
	case e.val.Kind == yaml.ScalarNode && (e.val.Value == "null" || e.val.Value == "~" || e.val.Value == "Null" || e.val.Value == "NULL"):
		if !strings.HasPrefix(trimmed, e.val.Value) {
			return 0, 0, false
		}
		tok = e.val.Value
	default:
		return 0, 0, false
	}
	after := trimmed[len(tok):]
	if after != "" && !strings.HasPrefix(after, " ") && !strings.HasPrefix(after, "\t") {
		return 0, 0, false
	}
	return c, c + ws + len(tok), true
}

// Has reports whether parent.name is an explicit key in the values file.
func Has(src []byte, parent, name string) (bool, error) {
	d, err := parse(src)
	if err != nil {
		return false, err
	}
	e := d.find(parent)
	if e == nil {
		return false, nil
	}
	isMap, err := d.parentMap(Block{Parent: parent, Name: name}, e)
	if err != nil || !isMap {
		return false, err
	}
	return childIndex(e.val, name) >= 0, nil
}

func childIndex(m *yaml.Node, name string) int {
	for i := len(m.Content) - 2; i >= 0; i -= 2 { // the later of two wins
		k := m.Content[i]
		if k.Kind == yaml.ScalarNode && k.Value == name && k.Tag != "!!merge" {
			return i
		}
	}
	return -1
}

// Insert adds b under b.Parent and returns the new file. When the same entry
// is already there (same text, same values) it returns src itself. An entry
// with that name but other content is an *Error wrapping ErrExists.
func Insert(src []byte, b Block) ([]byte, error) { return insertOrReplace(src, b, false) }

// Replace is Insert, except that an entry with b's name but other content is
// replaced where it stands (with the Comment lines above it that match
// b.Comment) instead of being an error: what `add --force` writes.
func Replace(src []byte, b Block) ([]byte, error) { return insertOrReplace(src, b, true) }

func insertOrReplace(src []byte, b Block, replace bool) ([]byte, error) {
	var out []byte
	var err error = errf(ErrTooLarge, 0, "") // an insert never shrinks the file
	if len(src) <= MaxValuesSize {
		out, err = insert(src, b, replace)
	}
	if errors.Is(err, ErrTooLarge) || err == nil && len(out) > MaxValuesSize {
		// Helm's own message (its directory loader), and what it means here.
		return nil, errf(ErrTooLarge, 0, "chart file %q is larger than the maximum file size %d with %s added, so Helm 3 would not load the chart; move values out of values.yaml (e.g. into a values file passed with -f) first", "values.yaml", MaxValuesSize, b.Parent+"."+b.Name)
	}
	if errors.Is(err, ErrUnsafe) && len(src) > 0 && src[len(src)-1] != '\n' {
		// A block scalar on the unterminated last line would gain a line
		// break; say so when that is the only problem.
		if _, err2 := insert(append(append([]byte(nil), src...), '\n'), b, replace); err2 == nil {
			return nil, errf(ErrUnsupported, bytes.Count(src, []byte("\n"))+1, "the last line has no line break and adding one would change its value; end the file with a newline")
		}
	}
	return out, err
}

func insert(src []byte, b Block, replace bool) ([]byte, error) {
	body, err := b.check()
	if err != nil {
		return nil, err
	}
	d, err := parse(src)
	if err != nil {
		return nil, err
	}
	if d.decoded != nil {
		if _, ok := d.decoded.(map[string]any); !ok {
			return nil, errf(ErrUnsupported, 1, "top-level keys that are not strings; hookgen cannot edit this file")
		}
	}
	e := d.find(b.Parent)
	if e == nil {
		if m, ok := d.decoded.(map[string]any); ok {
			if _, ok := m[b.Parent]; ok {
				return nil, errf(ErrUnsupported, 0, "key %q comes from a merge key (<<); write it out or choose another key with --values-key", b.Parent)
			}
		}
		at := d.appendAt()
		var add []string
		add = append(add, b.headerLines(d.rootIndent)...)
		add = append(add, strings.Repeat(" ", d.rootIndent)+keyText(b.Parent)+":")
		add = append(add, b.render(d.rootIndent+d.unit, d.unit)...)
		if at == 0 {
			d.splice(at, at, add)
			return verifyInsert(d.decoded, d, b, body)
		}
		// A blank line separates the new key, unless the file ends in a
		// keep-chomped block scalar ("|+") that would take the blank line in.
		orig, final := d.lines, d.final
		var err error
		for _, sep := range [][]string{{""}, nil} {
			d.lines, d.final = append([]string(nil), orig...), final
			d.splice(at, at, append(sep, add...))
			var out []byte
			if out, err = verifyInsert(editable(d.decoded, b.Parent), d, b, body); err == nil {
				return out, nil
			}
		}
		return nil, err
	}
	isMap, err := d.parentMap(b, e)
	if err != nil {
		return nil, err
	}
	li := e.key.Line - 1
	if !isMap {
		from, to, _ := d.emptyValueSpan(e)
		return d.insertAt(li, e, b, body, func() {
			d.lines[li] = d.lines[li][:from] + d.lines[li][to:]
		}, b.render(e.key.Column-1+d.unit, d.unit))
	}
	if ci := childIndex(e.val, b.Name); ci >= 0 {
		s, _, same := d.sameEntry(b, e, ci, body)
		if same {
			return src, nil
		}
		if replace {
			start, n := d.entrySpan(b, e, ci)
			d.splice(start, start+n, b.render(e.val.Content[0].Column-1, d.unit))
			return verifyInsert(d.decoded, d, b, body)
		}
		return nil, errf(ErrExists, s+1, "key %q already exists with different content", b.Parent+"."+b.Name)
	}
	if pm, ok := asMap(d.decoded)[b.Parent].(map[string]any); ok {
		if _, ok := pm[b.Name]; ok {
			return nil, errf(ErrExists, e.key.Line, "key %q already comes from a merge key (<<)", b.Parent+"."+b.Name)
		}
	}
	return d.insertAt(li, e, b, body, nil, b.render(e.val.Content[0].Column-1, d.unit))
}

// insertAt puts lines at the end of the top-level entry e whose key is on
// line li (after fix, an edit of that line), and verifies the result. The
// end is first taken before trailing blank lines; when that changes a value
// (the blank lines belong to a "|+" block scalar) it is taken after them.
func (d *doc) insertAt(li int, e *entry, b Block, body any, fix func(), lines []string) ([]byte, error) {
	orig, final := d.lines, d.final
	var err error
	for _, skipBlank := range []bool{true, false} {
		d.lines, d.final = append([]string(nil), orig...), final
		if fix != nil {
			fix()
		}
		end := d.blockEndBlanks(li, e.limit, skipBlank)
		d.splice(end, end, lines)
		var out []byte
		if out, err = verifyInsert(editable(d.decoded, b.Parent), d, b, body); err == nil {
			return out, nil
		}
	}
	return nil, err
}

// editable copies the top-level map of decoded values and the map under
// parent: the only two maps verifyInsert and verifyRemove change. Every other
// value is shared; copying the whole document cost a tenth of an edit on a
// big file.
func editable(v any, parent string) any {
	top, ok := v.(map[string]any)
	if !ok {
		return v
	}
	m := make(map[string]any, len(top)+1)
	for k, x := range top {
		m[k] = x
	}
	if pm, ok := top[parent].(map[string]any); ok {
		c := make(map[string]any, len(pm)+1)
		for k, x := range pm {
			c[k] = x
		}
		m[parent] = c
	}
	return m
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// sameEntry reports whether child ci of Parent is exactly what Insert writes
// for b: the same lines (comment, key, body) and the same decoded value. It
// returns the entry's first line index and its line count.
func (d *doc) sameEntry(b Block, e *entry, ci int, body any) (start, n int, same bool) {
	k := e.val.Content[ci]
	exp := b.render(e.val.Content[0].Column-1, d.unit)
	nc := len(splitLines(b.Comment))
	start = k.Line - 1 - nc
	if start < 0 || start+len(exp) > len(d.lines) {
		return k.Line - 1, 0, false
	}
	for i, l := range exp {
		if trimCR(d.lines[start+i]) != l {
			return k.Line - 1, 0, false
		}
	}
	if !equalValues(asMap(asMap(d.decoded)[b.Parent])[b.Name], body) {
		return k.Line - 1, 0, false
	}
	return start, len(exp), true
}

// Remove takes out exactly what Insert(…, b) added: the entry, and the Parent
// key with its header when Insert created it and nothing else is left under
// it. So Remove(Insert(x, b), b) == x. When the entry is absent it returns src
// itself. When the entry differs from b (the user edited it) it returns an
// *Error wrapping ErrModified; ForceRemove removes it anyway.
func Remove(src []byte, b Block) ([]byte, error) { return remove(src, b, false) }

// ForceRemove removes the Name entry under Parent whatever its content: its
// key, value and the comment lines directly above it that Insert would have
// written, then the Parent as Remove does.
func ForceRemove(src []byte, b Block) ([]byte, error) { return remove(src, b, true) }

func remove(src []byte, b Block, force bool) ([]byte, error) {
	var body any
	var err error
	if force && strings.TrimSpace(b.Body) == "" {
		// ForceRemove needs only Parent and Name.
		if b.Parent == "" || b.Name == "" {
			return nil, errf(ErrBlock, 0, "block needs a parent key and a name")
		}
	} else if body, err = b.check(); err != nil {
		return nil, err
	}
	d, err := parse(src)
	if err != nil {
		return nil, err
	}
	e := d.find(b.Parent)
	if e == nil {
		return src, nil
	}
	isMap, err := d.parentMap(b, e)
	if err != nil {
		return nil, err
	}
	if !isMap {
		return src, nil
	}
	ci := childIndex(e.val, b.Name)
	if ci < 0 {
		return src, nil
	}
	start, n, same := 0, 0, false
	if body != nil {
		start, n, same = d.sameEntry(b, e, ci, body)
	}
	if !same {
		if !force {
			return nil, errf(ErrModified, e.val.Content[ci].Line, "key %q was changed after hookgen added it; pass --force to remove it anyway", b.Parent+"."+b.Name)
		}
		start, n = d.entrySpan(b, e, ci)
	}
	last := len(e.val.Content) == 2
	lim := e.limit
	d.splice(start, start+n, nil)
	if !last {
		return verifyRemove(d.decoded, d, b)
	}
	// The parent's key line is above the removed lines; its end moved up by n.
	// Dropping the parent can leave a file that no longer parses (a lone
	// "..." marker): then it stays, as an empty map.
	orig, final := d.lines, d.final
	err = errf(ErrUnsafe, e.key.Line, "cannot remove %q cleanly; remove it by hand", b.Parent+"."+b.Name)
	for _, mode := range []dropMode{dropWithBlank, dropNoBlank, keepEmpty} {
		d.lines, d.final = append([]string(nil), orig...), final
		if !d.dropParent(b, e, lim-n, mode) {
			continue
		}
		var out []byte
		if out, err = verifyRemove(editable(d.decoded, b.Parent), d, b); err == nil {
			return out, nil
		}
	}
	return nil, err
}

// entrySpan is the text of child ci of Parent whatever its content: from the
// Comment lines above it (when they match b.Comment) to the next sibling's
// key, less the blank lines and shallower comments that introduce that sibling.
func (d *doc) entrySpan(b Block, e *entry, ci int) (start, n int) {
	k := e.val.Content[ci]
	start = k.Line - 1
	if cl := splitLines(b.Comment); len(cl) > 0 && start-len(cl) >= 0 {
		match := true
		for i, c := range cl {
			if strings.TrimSpace(trimCR(d.lines[start-len(cl)+i])) != strings.TrimSpace(c) {
				match = false
			}
		}
		if match {
			start -= len(cl)
		}
	} else {
		// No Comment given: take the helm-docs comment ("# --" and its
		// continuation lines) directly above the key at its indentation.
		top := start
		for top > 0 {
			l := trimCR(d.lines[top-1])
			if !isComment(l) || indentOf(l) != k.Column-1 {
				break
			}
			top--
			if strings.HasPrefix(strings.TrimSpace(l), "# --") {
				start = top
			}
		}
	}
	var end int
	if ci+2 < len(e.val.Content) {
		next := e.val.Content[ci+2]
		end = next.Line - 1
		for end > k.Line {
			l := trimCR(d.lines[end-1])
			if isBlank(l) || isComment(l) && indentOf(l) <= k.Column-1 {
				end--
				continue
			}
			break
		}
	} else {
		end = d.blockEnd(e.key.Line-1, e.limit)
	}
	return start, end - start
}

type dropMode int

const (
	dropWithBlank dropMode = iota // drop a created parent and the blank line above it
	dropNoBlank                   // drop a created parent that has no blank line above
	keepEmpty                     // leave the parent as "key: {}"
)

// blankJoinsValue reports whether a blank line inserted at line i would
// change the decoded values (it would extend a "|+" block scalar).
func (d *doc) blankJoinsValue(i int) bool {
	with := &doc{bom: d.bom, crlf: d.crlf, lines: append([]string(nil), d.lines...), final: d.final}
	with.splice(i, i, []string{""})
	a, err1 := decodeOne(d.bytes())
	b, err2 := decodeOne(with.bytes())
	return err1 == nil && err2 == nil && !equalValues(a, b)
}

// dropParent runs after the Parent's only child was removed: a Parent that
// looks exactly as Insert creates it (the last key, bare, under its header
// and a blank line) goes too; any other Parent is left as an empty map,
// "key: {}". With an empty ParentHeader a pre-existing empty Parent at the
// end of the file looks the same and goes too; callers should set a header.
func (d *doc) dropParent(b Block, e *entry, limit int, mode dropMode) bool {
	li := e.key.Line - 1
	ind := strings.Repeat(" ", d.rootIndent)
	if mode != keepEmpty && trimCR(d.lines[li]) == ind+keyText(b.Parent)+":" {
		hdr := b.headerLines(d.rootIndent)
		s := li - len(hdr)
		ok := s >= 0
		for i := 0; ok && i < len(hdr); i++ {
			ok = trimCR(d.lines[s+i]) == hdr[i]
		}
		// Insert appends a new parent as the last key, with nothing under it
		// but the entry, after a blank line unless that line would have
		// joined a "|+" block scalar above: only such a parent goes.
		if ok && e.last && d.blockEnd(li, limit) == li+1 {
			switch {
			case s == 0:
				d.splice(s, li+1, nil)
				return true
			case isBlank(d.lines[s-1]) && mode == dropWithBlank:
				d.splice(s-1, li+1, nil)
				return true
			case mode == dropNoBlank && d.blankJoinsValue(s):
				d.splice(s, li+1, nil)
				return true
			}
		}
	}
	if mode != keepEmpty {
		return false
	}
	line := d.lines[li]
	c, ok := keyColon(trimCR(line), e.key.Column-1)
	empty := " {}"
	switch b.EmptyAs {
	case BareParent:
		empty = ""
	case "~", "null", "Null", "NULL":
		empty = " " + b.EmptyAs
	}
	if ok {
		d.lines[li] = line[:c] + empty + line[c:]
	}
	return ok
}

// verifyInsert checks that d decodes to the values before the edit plus
// exactly b.
func verifyInsert(before any, d *doc, b Block, body any) ([]byte, error) {
	d.root = nil // let the collector take the first parse's tree during the second
	out := d.bytes()
	after, err := decodeOne(out)
	if err != nil {
		return nil, errf(ErrUnsafe, 0, "inserting %q would break the file (%v); add the entry by hand", b.Parent+"."+b.Name, err)
	}
	want := asMap(before)
	if want == nil {
		want = map[string]any{}
	}
	pm := asMap(want[b.Parent])
	if pm == nil {
		pm = map[string]any{}
	}
	pm[b.Name] = body
	want[b.Parent] = pm
	if !equalValues(want, after) {
		return nil, errf(ErrUnsafe, 0, "inserting %q would change other values in this file's layout; add the entry by hand", b.Parent+"."+b.Name)
	}
	return out, nil
}

// verifyRemove checks that d decodes to the values before the edit less b
// (and less an emptied Parent, or with it as {}).
func verifyRemove(before any, d *doc, b Block) ([]byte, error) {
	d.root = nil // as in verifyInsert
	out := d.bytes()
	after, err := decodeOne(out)
	if err != nil {
		return nil, errf(ErrUnsafe, 0, "removing %q would break the file (%v); remove the entry by hand", b.Parent+"."+b.Name, err)
	}
	want := asMap(before)
	pm := asMap(want[b.Parent])
	delete(pm, b.Name)
	am := asMap(after)
	if len(pm) == 0 {
		if v, ok := am[b.Parent]; !ok {
			delete(want, b.Parent)
		} else if v == nil && b.EmptyAs != "" {
			want[b.Parent] = nil // back to "key:" or "key: ~" (EmptyAs)
		}
	}
	var w any = want
	if len(want) == 0 && after == nil {
		w = nil // the file is left without values (empty or comments only)
	}
	if !equalValues(w, after) {
		return nil, errf(ErrUnsafe, 0, "removing %q would change other values in this file's layout; remove the entry by hand", b.Parent+"."+b.Name)
	}
	return out, nil
}

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte(bom)) }
