package expr

import "testing"

// The engine evaluates a gateway's conditions and a task's mappings in every step; these show their cost.

func BenchmarkEvalCondition(b *testing.B) {
	e := mustCompile(b, `=amount > 1000 and decision = "approve"`)
	vars := testVars()
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := e.EvalBoolAt(vars, testNow); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkEvalMapping(b *testing.B) {
	e := mustCompile(b, `={id: tender.id, total: sum(bids.price), best: min(bids.price), panel: count(panel)}`)
	vars := testVars()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.EvalAt(vars, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		mustCompile(b, `=if order.amount > 1000 and order.customer.vip then "committee" else "manager"`)
	}
}
