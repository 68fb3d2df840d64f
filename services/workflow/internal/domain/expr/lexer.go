package expr

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokenKind int

const (
	tokEOF    tokenKind = iota
	tokNumber           // 12, 1.5, .5
	tokString           // "text"
	tokName             // a name or a keyword: x, and, if, `a name`
	tokPunct            // an operator or a bracket: = != <= ** .. ( ) ...
)

type token struct {
	kind tokenKind
	text string // the name, the punctuation, or the source text of a number or string
	pos  int    // byte offset in the whole source
	num  float64
	str  string // a string literal's value
}

// punctuation, longest first so that "**" wins over "*" and "!=" over a lone "!".
var punctuation = []string{"**", "!=", "<=", ">=", "..", "=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]",
	"{", "}", ",", ":", ".", "@", "?", "!"}

// lex splits src[base:] into tokens; positions are offsets in src, so errors point into what the modeler shows.
func lex(src string, base int) ([]token, error) {
	var toks []token
	i := base
	for i < len(src) {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case strings.HasPrefix(src[i:], "//"):
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			i += end
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, errorAt(src, i, "comment", "is not closed with */")
			}
			i += end + 4
		case r >= '0' && r <= '9' || r == '.' && i+1 < len(src) && isDigit(src[i+1]):
			t, err := lexNumber(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(t.text)
		case r == '"':
			t, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(t.text)
		case r == '`':
			end := strings.IndexByte(src[i+1:], '`')
			if end <= 0 {
				return nil, errorAt(src, i, "name in backticks", "is empty or not closed with `")
			}
			toks = append(toks, token{kind: tokName, text: src[i+1 : i+1+end], pos: i})
			i += end + 2
		case isNameStart(r):
			j := i + size
			for j < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[j:])
				if !isNamePart(r2) {
					break
				}
				j += s2
			}
			toks = append(toks, token{kind: tokName, text: src[i:j], pos: i})
			i = j
		default:
			p := matchPunct(src[i:])
			if hint, ok := operatorHints[r]; ok {
				return nil, errorAt(src, i, strconv.QuoteRune(r), hint)
			}
			if p == "" {
				return nil, errorAt(src, i, "character "+strconv.QuoteRune(r), "is not part of the supported FEEL")
			}
			toks = append(toks, token{kind: tokPunct, text: p, pos: i})
			i += len(p)
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(src)}), nil
}

// operatorHints answer the operators of other languages that designers type by habit.
var operatorHints = map[rune]string{
	'&':  "is not FEEL: write and",
	'|':  "is not FEEL: write or",
	'%':  "is not FEEL: there is no remainder operator in this subset",
	'\'': "is not FEEL: strings are in double quotes",
}

func matchPunct(s string) string {
	for _, p := range punctuation {
		if strings.HasPrefix(s, p) {
			return p
		}
	}
	return ""
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isNameStart(r rune) bool { return r == '_' || r == '$' || unicode.IsLetter(r) }

func isNamePart(r rune) bool { return isNameStart(r) || unicode.IsDigit(r) }

// lexNumber reads digits with an optional fraction: FEEL numbers have no exponent and no sign (a minus is
// the unary operator).
func lexNumber(src string, i int) (token, error) {
	j := i
	for j < len(src) && isDigit(src[j]) {
		j++
	}
	if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
		j++
		for j < len(src) && isDigit(src[j]) {
			j++
		}
	}
	text := src[i:j]
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return token{}, errorAt(src, i, "number "+text, "is out of range")
	}
	return token{kind: tokNumber, text: text, pos: i, num: f}, nil
}

// lexString reads a double-quoted string with the escapes FEEL knows: \" \' \\ \n \r \t \uXXXX.
func lexString(src string, i int) (token, error) {
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		c := src[j]
		switch {
		case c == '"':
			return token{kind: tokString, text: src[i : j+1], pos: i, str: b.String()}, nil
		case c != '\\':
			b.WriteByte(c)
			j++
			continue
		}
		if j+1 >= len(src) {
			break
		}
		switch e := src[j+1]; e {
		case '"', '\'', '\\':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if j+6 > len(src) {
				return token{}, errorAt(src, j, `escape \u`, "needs four hexadecimal digits")
			}
			r, err := strconv.ParseUint(src[j+2:j+6], 16, 32)
			if err != nil {
				return token{}, errorAt(src, j, `escape \u`, "needs four hexadecimal digits")
			}
			b.WriteRune(rune(r))
			j += 4
		default:
			return token{}, errorAt(src, j, "escape \\"+string(e), "is not a FEEL string escape")
		}
		j += 2
	}
	return token{}, errorAt(src, i, "string", "is not closed with \"")
}
