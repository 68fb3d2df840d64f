package registries

import "github.com/govstackbb/marketplace/services/registries/internal/domain"

// Demo registries by group (each database carries its group name in GET /databases).
const (
	groupGovernment = "Government"
	groupHealth     = "Health"
	groupPopulation = "Population"
)

type props = map[string]any
type rec = map[string]any

func str() props               { return props{"type": "string"} }
func key() props               { return props{"type": "string", "primaryKey": true} }
func enum(values ...any) props { return props{"type": "string", "enum": values} }
func format(f string) props    { return props{"type": "string", "format": f} }
func object(req []any, p props) map[string]any {
	return map[string]any{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
		"required": req, "properties": p}
}

func draft(group, name, description string, schema map[string]any) domain.RegistryDraft {
	return domain.RegistryDraft{GroupName: group, CatalogName: "Demo", Name: name, Code: name, Version: "1.0",
		Description: description, Institution: "GovStack demo", Schema: schema}
}

// seedData is the demo content. Registry names and fields are looked up by other BBs: keep them exactly.
func seedData() []seedRegistry {
	return []seedRegistry{
		{draft: draft(groupGovernment, "public-sector-domains", "E-mail domains of public-sector buyers",
			object([]any{"domain", "organisation", "country"},
				props{"domain": key(), "organisation": str(), "country": str()})),
			records: []map[string]any{
				rec{"domain": "gov.uk", "organisation": "UK Government", "country": "GB"},
				rec{"domain": "nhs.uk", "organisation": "National Health Service", "country": "GB"},
				rec{"domain": "sch.uk", "organisation": "UK schools and academies", "country": "GB"},
				rec{"domain": "gov.ee", "organisation": "Government of Estonia", "country": "EE"},
				rec{"domain": "health.gov.example", "organisation": "Ministry of Health", "country": "EX"},
				rec{"domain": "moj.gov.example", "organisation": "Ministry of Justice", "country": "EX"},
			}},
		{draft: draft(groupGovernment, "companies", "Registered companies (DUNS and Companies House numbers)",
			object([]any{"companyId", "scheme", "name", "country", "status"},
				props{"companyId": key(), "scheme": enum("DUNS", "CompaniesHouse"), "name": str(), "country": str(),
					"status": enum("active", "dissolved")})),
			records: []map[string]any{
				rec{"companyId": "123456789", "scheme": "DUNS", "name": "Contoso Health Systems", "country": "US", "status": "active"},
				rec{"companyId": "987654321", "scheme": "DUNS", "name": "Fabrikam Construction", "country": "EX", "status": "active"},
				rec{"companyId": "555000111", "scheme": "DUNS", "name": "Initech Software", "country": "EE", "status": "active"},
				rec{"companyId": "09876543", "scheme": "CompaniesHouse", "name": "Northwind Medical Ltd", "country": "GB", "status": "active"},
				rec{"companyId": "01234567", "scheme": "CompaniesHouse", "name": "Globex Logistics Ltd", "country": "GB", "status": "active"},
				rec{"companyId": "04567890", "scheme": "CompaniesHouse", "name": "Adatum Digital Ltd", "country": "GB", "status": "active"},
				rec{"companyId": "07654321", "scheme": "CompaniesHouse", "name": "Umbrella Supplies Ltd", "country": "GB", "status": "dissolved"},
			}},
		{draft: draft(groupHealth, "cities", "Cities with hospitals taking online reservations",
			object([]any{"id", "name", "country"}, props{"id": key(), "name": str(), "country": str()})),
			records: []map[string]any{
				rec{"id": "city-tallinn", "name": "Tallinn", "country": "EE"},
				rec{"id": "city-tartu", "name": "Tartu", "country": "EE"},
				rec{"id": "city-exampleville", "name": "Exampleville", "country": "EX"},
			}},
		{draft: draft(groupHealth, "hospitals", "Hospitals by city",
			object([]any{"id", "name", "cityId"}, props{"id": key(), "name": str(), "cityId": str(), "address": str()})),
			records: []map[string]any{
				rec{"id": "hosp-north-tallinn", "name": "North Tallinn Hospital", "cityId": "city-tallinn", "address": "Sütiste tee 19, Tallinn"},
				rec{"id": "hosp-tartu-university", "name": "Tartu University Hospital", "cityId": "city-tartu", "address": "L. Puusepa 8, Tartu"},
				rec{"id": "hosp-exampleville-general", "name": "Exampleville General Hospital", "cityId": "city-exampleville", "address": "1 Main Street, Exampleville"},
			}},
		{draft: draft(groupHealth, "departments", "Hospital departments",
			object([]any{"id", "name", "hospitalId", "specialty"},
				props{"id": key(), "name": str(), "hospitalId": str(), "specialty": str()})),
			records: []map[string]any{
				rec{"id": "dept-nt-cardiology", "name": "Cardiology", "hospitalId": "hosp-north-tallinn", "specialty": "cardiology"},
				rec{"id": "dept-nt-neurology", "name": "Neurology", "hospitalId": "hosp-north-tallinn", "specialty": "neurology"},
				rec{"id": "dept-tu-pediatrics", "name": "Children's Clinic", "hospitalId": "hosp-tartu-university", "specialty": "pediatrics"},
				rec{"id": "dept-tu-cardiology", "name": "Heart Clinic", "hospitalId": "hosp-tartu-university", "specialty": "cardiology"},
				rec{"id": "dept-eg-general", "name": "General Practice", "hospitalId": "hosp-exampleville-general", "specialty": "general-practice"},
			}},
		{draft: draft(groupHealth, "doctors", "Doctors by department",
			object([]any{"id", "name", "departmentId", "hospitalId", "specialty"},
				props{"id": key(), "name": str(), "departmentId": str(), "hospitalId": str(), "specialty": str(),
					"email": format("email")})),
			records: []map[string]any{
				rec{"id": "doc-kask", "name": "Dr. Anna Kask", "departmentId": "dept-nt-cardiology", "hospitalId": "hosp-north-tallinn", "specialty": "cardiology", "email": "anna.kask@example.org"},
				rec{"id": "doc-saar", "name": "Dr. Peeter Saar", "departmentId": "dept-nt-neurology", "hospitalId": "hosp-north-tallinn", "specialty": "neurology", "email": "peeter.saar@example.org"},
				rec{"id": "doc-mets", "name": "Dr. Liis Mets", "departmentId": "dept-tu-pediatrics", "hospitalId": "hosp-tartu-university", "specialty": "pediatrics", "email": "liis.mets@example.org"},
				rec{"id": "doc-rebane", "name": "Dr. Jaan Rebane", "departmentId": "dept-tu-cardiology", "hospitalId": "hosp-tartu-university", "specialty": "cardiology", "email": "jaan.rebane@example.org"},
				rec{"id": "doc-okafor", "name": "Dr. Grace Okafor", "departmentId": "dept-eg-general", "hospitalId": "hosp-exampleville-general", "specialty": "general-practice", "email": "grace.okafor@example.org"},
				rec{"id": "doc-smith", "name": "Dr. Alan Smith", "departmentId": "dept-eg-general", "hospitalId": "hosp-exampleville-general", "specialty": "general-practice", "email": "alan.smith@example.org"},
			}},
		{draft: hospitalStaffDraft(),
			records: []map[string]any{
				rec{"id": "hosp-north-tallinn/staff-kask", "staffId": "staff-kask", "hospitalId": "hosp-north-tallinn", "name": "Dr. Anna Kask", "email": "anna.kask@example.org", "specialty": "cardiology", "departmentId": "dept-nt-cardiology", "role": "doctor"},
				rec{"id": "hosp-north-tallinn/staff-lepp", "staffId": "staff-lepp", "hospitalId": "hosp-north-tallinn", "name": "Kadri Lepp", "email": "kadri.lepp@example.org", "departmentId": "dept-nt-cardiology", "role": "nurse"},
				rec{"id": "hosp-exampleville-general/staff-admin", "staffId": "staff-admin", "hospitalId": "hosp-exampleville-general", "name": "Pat Admin", "email": "admin@hospital.example.org", "role": "admin"},
			}},
		{draft: citizensDraft(),
			records: []map[string]any{
				rec{"personalCode": "EE37801010001", "firstName": "Mari", "lastName": "Tamm", "birthDate": "1978-01-01", "email": "mari.tamm@example.org"},
				rec{"personalCode": "EE38502020002", "firstName": "John", "lastName": "Smith", "birthDate": "1985-02-02", "email": "john.smith@example.org"},
			}},
	}
}

// citizensDraft holds personal data: every read of it is logged against the personalCode.
func citizensDraft() domain.RegistryDraft {
	d := draft(groupPopulation, "citizens", "Citizens (demo population register)",
		object([]any{"personalCode", "firstName", "lastName", "birthDate"},
			props{"personalCode": key(), "firstName": str(), "lastName": str(), "birthDate": format("date"),
				"email": format("email"), "phone": str(), "address": str()}))
	d.PersonIDField = "personalCode"
	return d
}

// hospitalStaffDraft is the ORS staff register the Registration BB writes to (one record per person and
// hospital: id is "<hospitalId>/<staffId>"). It holds personal data, so reads are logged against the id.
func hospitalStaffDraft() domain.RegistryDraft {
	d := draft(groupHealth, "hospital-staff", "Hospital staff: doctors, nurses and administrators by hospital",
		object([]any{"id", "staffId", "hospitalId", "name", "email"},
			props{"id": key(), "staffId": str(), "hospitalId": str(), "name": str(), "email": format("email"),
				"specialty": str(), "departmentId": str(), "role": enum("doctor", "nurse", "admin")}))
	d.PersonIDField = "id"
	return d
}
