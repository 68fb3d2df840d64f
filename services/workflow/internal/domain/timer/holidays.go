package timer

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// shippedHolidays are the public holidays of Estonia and of England and Wales for 2026 and 2027; the file
// says where each comes from.
//
//go:embed holidays.csv
var shippedHolidays []byte

// shippedZones are the time zones of the countries whose holidays are shipped.
var shippedZones = map[string]string{"EE": "Europe/Tallinn", "GB": "Europe/London"}

// ShippedCalendar returns a calendar with the shipped holidays and the zones of their countries; no
// default country is set.
func ShippedCalendar() (*Calendar, error) {
	c := NewCalendar()
	if err := c.LoadHolidays(bytes.NewReader(shippedHolidays)); err != nil {
		return nil, fmt.Errorf("shipped holidays: %w", err)
	}
	for code, name := range shippedZones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			return nil, err
		}
		c.SetZone(code, loc)
	}
	return c, nil
}

// LoadHolidays adds the holidays of a CSV file — country,date,name per line (date as YYYY-MM-DD), lines
// starting with # ignored — and marks each year it names as covered for that country. An error names the
// line.
func (c *Calendar) LoadHolidays(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 3
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		code := strings.TrimSpace(rec[0])
		if len(code) != 2 || strings.ToUpper(code) != code || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return fmt.Errorf("line %d: %q is not an ISO 3166-1 alpha-2 country code", line, code)
		}
		t, err := time.Parse("2006-01-02", strings.TrimSpace(rec[1]))
		if err != nil {
			return fmt.Errorf("line %d: %q is not a date (YYYY-MM-DD)", line, rec[1])
		}
		c.addHoliday(code, DayOf(t), strings.TrimSpace(rec[2]))
	}
}
