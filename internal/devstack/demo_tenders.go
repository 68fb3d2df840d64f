package devstack

import (
	"context"
	"time"
)

// Demo suppliers, by their index in DemoSuppliers.
const (
	adatum = iota
	northwind
	globex
)

// Demo buyers, by their index in DemoBuyers.
const (
	graceAcademy = iota
	justice
	thanet
	nhsSouthWest
)

// DemoTenders are the four tenders of the seed use cases and the stage the seed brings each to.
func DemoTenders() []DemoTender {
	return []DemoTender{
		{Title: "IT communications equipment for Grace Academy Darlaston", Buyer: graceAcademy,
			Stage: "active: open for bids (real working days), a question answered, one sealed bid",
			draft: demoDraft(
				"Network switches, wireless access points and IP telephones for the academy's new teaching block, installed and configured.",
				"45000.00", 10, 20,
				demoItem("48-port PoE+ network switch", "32420000-3", 6, "piece"),
				demoItem("IP desk telephone", "32550000-9", 80, "piece")),
			run: openForBids},
		{Title: "HMPPS data and reporting platform", Buyer: justice,
			Stage: "evaluation: two bids opened at the deadline, the panel's evaluation task waiting",
			draft: demoDraft(
				"A data and reporting platform for His Majesty's Prison and Probation Service: ingestion from the case "+
					"management systems, a governed data store and self-service reporting for probation regions.",
				"750000.00", 1, 2, demoItem("Data platform build and two years' support", "72000000-5", 1, "service")),
			run: inEvaluation},
		{Title: "Occupational health services", Buyer: thanet,
			Stage: "contracted: scored, approved, awarded to Northwind Medical, standstill over, contract signed",
			draft: demoDraft(
				"Pre-employment health screening, management referrals, health surveillance and an employee "+
					"assistance programme for the council's staff, for three years.",
				"120000.00", 1, 2, demoItem("Occupational health service", "85147000-1", 1, "service")),
			run: contracted},
		{Title: "Mental health treatment requirements in Devon and Torbay", Buyer: nhsSouthWest,
			Stage: "draft: not yet published",
			draft: demoDraft(
				"Assessment and treatment of people given a mental health treatment requirement as part of a community "+
					"sentence in Devon and Torbay, with the probation service and the courts.",
				"900000.00", 10, 25, demoItem("Mental health treatment requirement pathway", "85121270-6", 1, "service"))},
	}
}

// demoDraft is a tender draft without its title: price 60 %, quality 40 %, periods in working days, a
// standstill of one.
func demoDraft(description, value string, enquiryDays, tenderDays int, items ...map[string]any) map[string]any {
	return map[string]any{"description": description, "estimatedValue": value, "currency": "GBP",
		"items": items, "enquiryPeriodDays": enquiryDays, "tenderPeriodDays": tenderDays, "standstillDays": 1,
		"awardCriteria": []map[string]any{
			{"id": "price", "name": "Price", "kind": "price", "weight": 60},
			{"id": "quality", "name": "Quality of the service", "kind": "quality", "weight": 40},
		}}
}

func demoItem(description, cpv string, quantity int, unit string) map[string]any {
	return map[string]any{"description": description, "cpvCode": cpv, "quantity": quantity, "unit": unit}
}

// openForBids publishes on the real calendar; Adatum asks, the buyer answers, Globex bids.
func openForBids(ctx context.Context, d *demoSeed, id string) error {
	if err := d.publish(ctx, graceAcademy, id, false); err != nil {
		return err
	}
	var q struct{ ID string }
	if err := d.c.call(ctx, "POST", "/tenders/"+id+"/questions", d.suppliers[adatum],
		map[string]any{"text": "Must the switches provide PoE+ on every port for the telephones?"}, 201, &q); err != nil {
		return err
	}
	if err := d.c.call(ctx, "POST", "/tenders/"+id+"/questions/"+q.ID+"/answer", d.buyers[graceAcademy],
		map[string]any{"answer": "Yes: every port powers a telephone or an access point (PoE+, 802.3at)."}, 200, nil); err != nil {
		return err
	}
	return d.bid(ctx, globex, id, "41800.00", "Supply, installation and configuration within four weeks of the order.")
}

// inEvaluation publishes on DemoDay; Adatum and Northwind bid; the bids open at the deadline.
func inEvaluation(ctx context.Context, d *demoSeed, id string) error {
	if err := d.publish(ctx, justice, id, true); err != nil {
		return err
	}
	if err := d.bid(ctx, adatum, id, "695000.00", "A cloud data platform with a reporting service, delivered in three releases."); err != nil {
		return err
	}
	if err := d.bid(ctx, northwind, id, "730000.00", "Our health and justice analytics platform, configured for HMPPS."); err != nil {
		return err
	}
	_, err := d.openedBids(ctx, justice, id)
	return err
}

// contracted runs the tender on DemoDay to a signed contract: two bids, the panel's scores, the
// committee's and legal's approval, the award, the standstill, the contract.
func contracted(ctx context.Context, d *demoSeed, id string) error {
	if err := d.publish(ctx, thanet, id, true); err != nil {
		return err
	}
	if err := d.bid(ctx, northwind, id, "108000.00", "Occupational health physicians and nurses on site weekly, referrals within five days."); err != nil {
		return err
	}
	if err := d.bid(ctx, globex, id, "99500.00", "A remote occupational health service with quarterly site visits."); err != nil {
		return err
	}
	bids, err := d.openedBids(ctx, thanet, id)
	if err != nil {
		return err
	}
	if err := score(ctx, d, id, bids); err != nil {
		return err
	}
	for _, v := range []map[string]any{{}, {"approved": true}, {}} { // evaluation, committee, legal
		if err := d.completeTask(ctx, thanet, id, v); err != nil {
			return err
		}
	}
	return signContract(ctx, d, id)
}

// score declares the buyer free of conflicts and scores every eligible bid: Northwind's service wins on
// quality over Globex's lower price.
func score(ctx context.Context, d *demoSeed, id string, bids []demoBid) error {
	if err := d.c.call(ctx, "POST", "/tenders/"+id+"/declarations", d.buyers[thanet],
		map[string]any{"conflict": false, "statement": "No interest in any bidder."}, 200, nil); err != nil {
		return err
	}
	for _, b := range bids {
		if b.Status != "eligible" {
			continue
		}
		price, quality := 80, 90
		if b.CompanyID == DemoSuppliers[globex].CompanyID {
			price, quality = 90, 55
		}
		scores := map[string]any{"scores": []map[string]any{
			{"criterionId": "price", "score": price, "reason": "against the estimate and the other bid"},
			{"criterionId": "quality", "score": quality, "reason": "against the service specification"},
		}}
		if err := d.c.call(ctx, "POST", "/tenders/"+id+"/bids/"+b.ID+"/scores", d.buyers[thanet], scores, 200, nil); err != nil {
			return err
		}
	}
	return nil
}

// signContract waits for the award's standstill to end and signs its contract with two milestones.
func signContract(ctx context.Context, d *demoSeed, id string) error {
	var award struct{ ID, Status string }
	err := waitFor(ctx, 2*time.Minute, "the award's standstill over", func() (bool, error) {
		var awards []struct{ ID, Status string }
		if err := d.c.call(ctx, "GET", "/awards?tenderId="+id, "", nil, 200, &awards); err != nil || len(awards) != 1 {
			return false, err
		}
		award = awards[0]
		return award.Status == "active", nil
	})
	if err != nil {
		return err
	}
	return d.c.call(ctx, "POST", "/awards/"+award.ID+"/contract", d.buyers[thanet], map[string]any{
		"periodStart": "2027-04-01", "periodEnd": "2030-03-31", "payeeKey": "msisdn", "payeeValue": "447700900123",
		"milestones": []map[string]any{
			{"title": "Service mobilised", "amount": "36000.00"},
			{"title": "First year of service", "amount": "72000.00"},
		}}, 201, nil)
}
