package i18n

import (
	"strconv"
	"strings"
)

// maxAcceptLanguage bounds the header read: a browser sends a few dozen bytes.
const maxAcceptLanguage = 512

// Negotiate picks the supported language a browser prefers from its Accept-Language header (RFC 9110
// §12.5.4): the highest q wins, earlier wins a tie, a region is ignored (et-EE is et), and q=0 refuses.
// With nothing supported it is the default.
func Negotiate(header string) string {
	if len(header) > maxAcceptLanguage {
		header = header[:maxAcceptLanguage]
	}
	best, bestQ := Languages[0], -1.0
	for _, part := range strings.Split(header, ",") {
		tag, q := parseRange(part)
		if q <= 0 {
			continue
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		for _, lang := range Languages {
			if base == lang && q > bestQ {
				best, bestQ = lang, q
			}
		}
	}
	return best
}

// parseRange reads one "tag;q=0.8" item; a malformed q counts as 0 (refused), a missing one as 1.
func parseRange(part string) (string, float64) {
	tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
	q := 1.0
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.TrimSpace(k) != "q" {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || f > 1 {
			return tag, 0
		}
		q = f
	}
	return strings.TrimSpace(tag), q
}

// Supported reports whether lang is a supported language.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}
