// Wallet figures (in-process, no file IO): wrapping a batch of 10,000 certificates of origin as
// OpenAttestation v2 and verifying the integrity of one wrapped document. The end-to-end comparison
// with the npm package, files included, is tests/wallet/oa/bench.sh; see docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include "wallet/oa/integrity.h"
#include "wallet/oa/wrap.h"

using namespace docket::wallet;

namespace {

// docs/examples/certificate-of-origin.json, compacted (about 100 leaves).
constexpr const char* kCertificate = R"json({"issuers":[{"name":"Vietnam Chamber of Commerce and Industry","identityProof":{"type":"DNS-TXT","location":"vcci.example"}}],"documentType":"certificate_of_origin","certificateNumber":"VN-DE 24/01/HCM/04182","issueDate":"2024-03-14","issuingAuthority":{"name":"VCCI Ho Chi Minh City Branch","country":"VN","address":{"street":"171 Vo Thi Sau, Ward 7, District 3","city":"Ho Chi Minh City","postalCode":"700000","country":"VN"}},"preferential":true,"preferentialAgreement":"EU-Vietnam Free Trade Agreement (EVFTA), Form EUR.1","exporter":{"name":"Saigon Coffee Roasters JSC","identifier":"VN0312345678","address":{"street":"45 Nguyen Huu Canh, Ward 22, Binh Thanh District","city":"Ho Chi Minh City","postalCode":"700000","country":"VN"}},"producer":{"name":"Cau Dat Highland Coffee Cooperative","address":{"street":"Xuan Truong Commune","city":"Da Lat","countrySubdivision":"Lam Dong","country":"VN"}},"consignee":{"name":"Hanseatische Kaffeehandel GmbH","identifier":"DE811234567","address":{"street":"Am Sandtorkai 32","city":"Hamburg","postalCode":"20457","country":"DE"}},"countryOfOrigin":"VN","countryOfDestination":"DE","transport":{"modeOfTransport":"SEA","vesselName":"MAERSK HANOI","voyageNumber":"412W","departureDate":"2024-03-18","portOfLoading":"VNCMP","portOfDischarge":"DEHAM"},"goodsItems":[{"itemNumber":1,"description":"Arabica coffee, not roasted, not decaffeinated, grade 1, screen 18","hsCode":"090111","originCriterion":"WO","marksAndNumbers":"SCR/HAM/2024/01-320","numberOfPackages":320,"packageType":"BG","quantity":{"value":19200,"unit":"KGM"},"grossWeight":{"value":19520.5,"unit":"KGM"},"fobValue":{"value":98880.0,"currency":"USD"},"invoiceReferences":[{"invoiceNumber":"SCR-INV-2024-0311","invoiceDate":"2024-03-11"}]},{"itemNumber":2,"description":"Coffee, roasted, not decaffeinated, whole beans, 1 kg valve bags","hsCode":"090121","originCriterion":"WO","numberOfPackages":150,"packageType":"CT","quantity":{"value":1800,"unit":"KGM"},"grossWeight":{"value":1932.75,"unit":"KGM"},"fobValue":{"value":21600.0,"currency":"USD"},"invoiceReferences":[{"invoiceNumber":"SCR-INV-2024-0311","invoiceDate":"2024-03-11"}]}],"declaration":{"text":"The undersigned hereby declares that the above details and statements are correct, that all the goods were produced in Viet Nam and that they comply with the origin requirements specified for those goods in the EU-Vietnam Free Trade Agreement.","place":"Ho Chi Minh City","date":"2024-03-12","signatory":"Nguyễn Thị Lan, Export Manager"},"certification":{"text":"It is hereby certified, on the basis of control carried out, that the declaration by the exporter is correct.","place":"Ho Chi Minh City","date":"2024-03-14","authorisedOfficer":"Trần Văn Minh"},"remarks":"Shipped in two 40' high-cube containers."})json";

std::vector<oa::Json> certificates(size_t n) {
  auto base = oa::parse_json(kCertificate);
  std::vector<oa::Json> out(n, *base);
  for (size_t i = 0; i < n; ++i) out[i]["certificateNumber"] = "VN-DE 24/01/HCM/" + std::to_string(i);
  return out;
}

}  // namespace

static void BM_WalletWrapBatch(benchmark::State& st) {
  auto docs = certificates(static_cast<size_t>(st.range(0)));
  oa::SaltSource salts;
  for (auto _ : st) benchmark::DoNotOptimize(oa::wrap_documents(docs, salts));
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_WalletWrapBatch)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);

static void BM_WalletVerifyOne(benchmark::State& st) {
  oa::SaltSource salts;
  auto wrapped = oa::wrap_documents(certificates(10000), salts);
  const oa::Json& doc = (*wrapped)[1234];
  for (auto _ : st) benchmark::DoNotOptimize(oa::check_integrity(doc));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_WalletVerifyOne)->Unit(benchmark::kMicrosecond);

static void BM_WalletParseCertificate(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(oa::parse_json(kCertificate));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_WalletParseCertificate)->Unit(benchmark::kMicrosecond);
