package hub

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Darwin Core terms of the archive's two files, in column order (column 0
// is the core id / core id reference).
var (
	eventTerms = []string{"eventID", "locationID", "eventDate", "samplingProtocol", "sampleSizeValue", "sampleSizeUnit",
		"samplingEffort", "decimalLatitude", "decimalLongitude", "geodeticDatum", "country", "stateProvince"}
	occTerms = []string{"eventID", "occurrenceID", "basisOfRecord", "scientificName", "individualCount",
		"organismQuantity", "organismQuantityType", "occurrenceStatus", "identificationVerificationStatus", "identificationRemarks"}
)

const (
	dwcNS        = "http://rs.tdwg.org/dwc/terms/"
	eventRowType = dwcNS + "Event"
	occRowType   = dwcNS + "Occurrence"
	protocol     = "automated light or sticky trap with camera; specimens detected and identified by a trapnet model, each counted once"
)

// eventRow is one trap-night.
type eventRow struct {
	Effort
	lat, lon         *float64
	country, region  string
	taxa             map[string]*taxon
	modelsByVersions map[string]bool
}

// taxon is one label's count on a trap-night.
type taxon struct{ n, reviewed int }

// WriteDwCA writes a Darwin Core Archive (zip) of every trap-night: the
// Event core (sampling effort: frames and hours between the first and last
// capture), the Occurrence extension with one row per taxon and night
// (individualCount; unreviewed uncertain detections are left out), meta.xml
// and eml.xml describing the dataset.
func (s *Store) WriteDwCA(ctx context.Context, w io.Writer, info DatasetInfo) error {
	efforts, err := s.Efforts(ctx)
	if err != nil {
		return err
	}
	events := map[string]*eventRow{}
	var keys []string
	for _, e := range efforts {
		k := e.Trap + "_" + e.Night
		events[k] = &eventRow{Effort: e, taxa: map[string]*taxon{}, modelsByVersions: map[string]bool{}}
		keys = append(keys, k)
	}
	_, err = s.EachDetection(ctx, Filter{}, func(d *Full) error {
		ev := events[d.TrapID+"_"+d.Night]
		if ev == nil {
			return nil
		}
		if ev.lat == nil && d.Location.Lat != nil && d.Location.Lon != nil {
			ev.lat, ev.lon = d.Location.Lat, d.Location.Lon
		}
		ev.country, ev.region = d.Location.Country, d.Location.Region
		ev.modelsByVersions[d.ModelVersion] = true
		l := d.CountedLabel()
		if l == "uncertain" {
			return nil
		}
		t := ev.taxa[l]
		if t == nil {
			t = &taxon{}
			ev.taxa[l] = t
		}
		t.n++
		if d.ReviewLabel != "" {
			t.reviewed++
		}
		return nil
	})
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	if err := writeTable(zw, "event.txt", eventTerms, func(emit func([]string) error) error {
		for _, k := range keys {
			if err := emit(eventFields(k, events[k])); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := writeTable(zw, "occurrence.txt", occTerms, func(emit func([]string) error) error {
		for _, k := range keys {
			ev := events[k]
			labels := make([]string, 0, len(ev.taxa))
			for l := range ev.taxa {
				labels = append(labels, l)
			}
			sort.Strings(labels)
			models := sortedKeys(ev.modelsByVersions)
			for _, l := range labels {
				t := ev.taxa[l]
				status := "unverified"
				if t.reviewed == t.n {
					status = "verified by a person"
				}
				n := strconv.Itoa(t.n)
				remark := fmt.Sprintf("%d of %d reviewed by a person; model %s", t.reviewed, t.n, strings.Join(models, ", "))
				if err := emit([]string{k, k + ":" + l, "MachineObservation", l, n, n, "individuals", "present", status, remark}); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := writeFile(zw, "meta.xml", metaXML()); err != nil {
		return err
	}
	if err := writeFile(zw, "eml.xml", emlXML(info, time.Now())); err != nil {
		return err
	}
	return zw.Close()
}

// eventFields is the event.txt row of trap-night k.
func eventFields(k string, e *eventRow) []string {
	hours := e.Last.Sub(e.First).Hours()
	date := e.First.UTC().Format(time.RFC3339) + "/" + e.Last.UTC().Format(time.RFC3339)
	effort := fmt.Sprintf("%d frames from %s to %s", e.Frames, e.First.UTC().Format(time.RFC3339), e.Last.UTC().Format(time.RFC3339))
	lat, lon, datum := "", "", ""
	if e.lat != nil {
		lat, lon, datum = strconv.FormatFloat(*e.lat, 'f', 6, 64), strconv.FormatFloat(*e.lon, 'f', 6, 64), "WGS84"
	}
	return []string{k, e.Trap, date, protocol, strconv.FormatFloat(hours, 'f', 2, 64), "hour", effort, lat, lon, datum, e.country, e.region}
}

// writeTable writes a tab-separated file with a header of terms.
func writeTable(zw *zip.Writer, name string, terms []string, rows func(emit func([]string) error) error) error {
	f, err := zw.Create(name)
	if err != nil {
		return err
	}
	emit := func(fields []string) error {
		for i, v := range fields {
			fields[i] = strings.Map(func(r rune) rune { // tabs and line breaks cannot appear in a field
				if r == '\t' || r == '\n' || r == '\r' {
					return ' '
				}
				return r
			}, v)
		}
		_, err := io.WriteString(f, strings.Join(fields, "\t")+"\n")
		return err
	}
	if err := emit(append([]string(nil), terms...)); err != nil {
		return err
	}
	return rows(emit)
}

func writeFile(zw *zip.Writer, name string, b []byte) error {
	f, err := zw.Create(name)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	return err
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// metaXML describes event.txt (core) and occurrence.txt (extension).
func metaXML() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">` + "\n")
	table := func(tag, rowType, file, idTag string, terms []string) {
		fmt.Fprintf(&b, `  <%s encoding="UTF-8" fieldsTerminatedBy="\t" linesTerminatedBy="\n" fieldsEnclosedBy="" ignoreHeaderLines="1" rowType="%s">`+"\n", tag, rowType)
		fmt.Fprintf(&b, "    <files><location>%s</location></files>\n    <%s index=\"0\"/>\n", file, idTag)
		for i, t := range terms {
			fmt.Fprintf(&b, "    <field index=\"%d\" term=\"%s%s\"/>\n", i, dwcNS, t)
		}
		fmt.Fprintf(&b, "  </%s>\n", tag)
	}
	table("core", eventRowType, "event.txt", "id", eventTerms)
	table("extension", occRowType, "occurrence.txt", "coreid", occTerms)
	b.WriteString("</archive>\n")
	return []byte(b.String())
}

// emlXML is the dataset's EML 2.1.1 metadata.
func emlXML(info DatasetInfo, now time.Time) []byte {
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	desc := info.Description
	if desc == "" {
		desc = "Insects counted by camera traps running trapnet: one event per trap and night, with the number of specimens per taxon."
	}
	contact := info.Contact
	if contact == "" {
		contact = info.Publisher
	}
	return []byte(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="eml://ecoinformatics.org/eml-2.1.1 http://rs.gbif.org/schema/eml-gbif-profile/1.1/eml.xsd"
  packageId="trapnet-%d" system="trapnet" scope="system" xml:lang="en">
  <dataset>
    <title>%s</title>
    <creator><organizationName>%s</organizationName></creator>
    <metadataProvider><organizationName>%s</organizationName></metadataProvider>
    <pubDate>%s</pubDate>
    <language>en</language>
    <abstract><para>%s</para></abstract>
    <intellectualRights><para>%s</para></intellectualRights>
    <contact><organizationName>%s</organizationName></contact>
    <methods><methodStep><description><para>%s</para></description></methodStep></methods>
  </dataset>
</eml:eml>
`, now.Unix(), esc(info.Title), esc(info.Publisher), esc(info.Publisher), now.UTC().Format("2006-01-02"), esc(desc),
		esc(info.License), esc(contact), esc(protocol)))
}
