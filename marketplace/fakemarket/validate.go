package fakemarket

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// fieldError is a body the fake refuses: the JSON path of the wrong value and why.
type fieldError struct{ path, msg string }

// kind is the JSON type a known field must have. null is accepted for every field (an
// unanswered question).
type kind int

const (
	kBool kind = iota
	kString
	kStrings
	kInt // a whole number of days, 0 or more
	kObject
	kObjects
)

var kindText = map[kind]string{
	kBool:    "must be true or false",
	kString:  "must be a string",
	kStrings: "must be a list of strings",
	kInt:     "must be a whole number of days, 0 or more",
	kObject:  "must be an object",
	kObjects: "must be a list of objects",
}

// groups are the TrustInfo keys the fake accepts at the top of the object.
var groups = []string{"dataAccessAndStorage", "thirdPartyInformation", "logDetails", "dataResidency",
	"dataRetention", "privacy", "security", "properties"}

// v3ReadOnly are v3's server-owned keys, tolerated in a PUT (a client may send back what it
// read) and dropped.
var v3ReadOnly = []string{"hasRestAPIExtension", "supportsConfigurableEgress"}

// fieldKinds are the types of the fields in the reference's table; "[]" stands for a list
// element. Fields not listed here are accepted with any type, since the table is not
// complete (the transfer-mechanism text, for example, has no known name).
var fieldKinds = map[string]kind{
	"dataAccessAndStorage.appStoresEUDOutsideAtlassian":  kBool,
	"dataAccessAndStorage.typesOfDataStored":             kStrings,
	"dataAccessAndStorage.appProcessEUDOutsideAtlassian": kBool,
	"dataAccessAndStorage.typesOfDataAccessed":           kStrings,
	"dataAccessAndStorage.isSameDataProcessedAndStored":  kBool,

	"thirdPartyInformation.isEndUserDataShared":                     kBool,
	"thirdPartyInformation.dataSubProcessors":                       kString,
	"thirdPartyInformation.thirdPartyDetails":                       kObjects,
	"thirdPartyInformation.thirdPartyDetails[].name":                kString,
	"thirdPartyInformation.thirdPartyDetails[].link":                kString,
	"thirdPartyInformation.thirdPartyDetails[].purpose":             kString,
	"thirdPartyInformation.thirdPartyDetails[].thirdPartyCountries": kStrings,

	"logDetails.logEndUserData":                          kBool,
	"logDetails.logProcessAndOrStoreEUDOutsideAtlassian": kBool,
	"logDetails.logEUDShareWithThirdParty":               kBool,
	"logDetails.logsIntegralForAppFunctionality":         kBool,

	"dataResidency.isDataResidencySupported":        kString,
	"dataResidency.countriesWhereEndUserDataStored": kStrings,
	"dataResidency.realmMigrationSupported":         kBool,
	"dataResidency.inScopeDataTypes":                kStrings,

	"dataRetention.isDataRetentionSupported":       kBool,
	"dataRetention.retentionDurationInDays":        kObject,
	"dataRetention.retentionDurationInDays.min":    kInt,
	"dataRetention.retentionDurationInDays.max":    kInt,
	"dataRetention.isCustomRetentionPeriodAllowed": kBool,
	"dataRetention.isRetentionDurationIndefinite":  kBool,

	"privacy.privacyEnhancingTechniques":                                        kObject,
	"privacy.privacyEnhancingTechniques.arePrivacyEnhancingTechniquesSupported": kBool,
	"privacy.privacyEnhancingTechniques.privacyEnhancingTechniquesSupported":    kStrings,
	"privacy.gdpr":                                                    kObject,
	"privacy.gdpr.dataController":                                     kObject,
	"privacy.gdpr.dataController.isAppDataController":                 kString,
	"privacy.gdpr.dataController.endUserDataTypes":                    kStrings,
	"privacy.gdpr.dataProcessor":                                      kObject,
	"privacy.gdpr.dataProcessor.isAppDataProcessor":                   kString,
	"privacy.gdpr.dataProcessor.endUserDataTypes":                     kStrings,
	"privacy.gdpr.dataTransfer":                                       kObject,
	"privacy.gdpr.dataTransfer.isEndUserDataTransferredOutsideEEA":    kBool,
	"privacy.gdpr.dataTransfer.isTransferComplianceMechanismsAdhered": kBool,
	"privacy.ccpa":                                      kObject,
	"privacy.ccpa.business":                             kObject,
	"privacy.ccpa.business.isAppBusiness":               kString,
	"privacy.ccpa.serviceProvider":                      kObject,
	"privacy.ccpa.serviceProvider.isAppServiceProvider": kString,
	"privacy.ccpa.serviceProvider.endUserDataTypes":     kStrings,
	"privacy.dataProcessingAgreement":                   kObject,
	"privacy.dataProcessingAgreement.isDPASupported":    kString,

	"security.isDiskEncryptionSupported":  kBool,
	"security.publicSecurityPoliciesLink": kString,
	"security.securityContact":            kString,
	"security.permissionsJustification":   kString,
	"security.requiresUsersToProvidePATs": kBool,

	"properties.formStatus": kString,
}

// checkBody checks a decoded PUT body: one top-level key, the wrapper, holding an object
// of known groups whose known fields have the right types.
func checkBody(doc any, wrapper string, v3 bool) *fieldError {
	top, ok := doc.(map[string]any)
	if !ok {
		return &fieldError{"", "the body must be a JSON object"}
	}
	for _, k := range slices.Sorted(maps.Keys(top)) {
		if k != wrapper {
			return &fieldError{k, fmt.Sprintf("Unrecognized field %q; the body has only %q", k, wrapper)}
		}
	}
	inner, present := top[wrapper]
	if !present {
		return &fieldError{wrapper, "is required"}
	}
	info, ok := inner.(map[string]any)
	if !ok {
		return &fieldError{wrapper, kindText[kObject]}
	}
	for _, k := range slices.Sorted(maps.Keys(info)) {
		v := info[k]
		path := wrapper + "." + k
		switch {
		case v3 && contains(v3ReadOnly, k):
			if v != nil {
				if _, ok := v.(bool); !ok {
					return &fieldError{path, kindText[kBool]}
				}
			}
		case contains(groups, k):
			if v == nil {
				continue
			}
			obj, ok := v.(map[string]any)
			if !ok {
				return &fieldError{path, kindText[kObject]}
			}
			if fe := checkTree(obj, k, path); fe != nil {
				return fe
			}
		default:
			return &fieldError{path, fmt.Sprintf("Unrecognized field %q", k)}
		}
	}
	return nil
}

// checkTree checks the fields of obj, found at schema path schema and JSON path path.
func checkTree(obj map[string]any, schema, path string) *fieldError {
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		v := obj[k]
		s, p := schema+"."+k, path+"."+k
		if v == nil {
			continue
		}
		want, known := fieldKinds[s]
		if known && !hasKind(v, want) {
			return &fieldError{p, kindText[want]}
		}
		switch x := v.(type) {
		case map[string]any:
			if fe := checkTree(x, s, p); fe != nil {
				return fe
			}
		case []any:
			for i, item := range x {
				if m, ok := item.(map[string]any); ok {
					if fe := checkTree(m, s+"[]", fmt.Sprintf("%s[%d]", p, i)); fe != nil {
						return fe
					}
				}
			}
		}
	}
	return nil
}

func hasKind(v any, k kind) bool {
	switch k {
	case kBool:
		_, ok := v.(bool)
		return ok
	case kString:
		_, ok := v.(string)
		return ok
	case kStrings:
		list, ok := v.([]any)
		if !ok {
			return false
		}
		for _, item := range list {
			if _, ok := item.(string); !ok {
				return false
			}
		}
		return true
	case kInt:
		n, ok := v.(json.Number)
		if !ok || strings.ContainsAny(string(n), ".eE") {
			return false
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		return err == nil && i >= 0
	case kObject:
		_, ok := v.(map[string]any)
		return ok
	case kObjects:
		list, ok := v.([]any)
		if !ok {
			return false
		}
		for _, item := range list {
			if _, ok := item.(map[string]any); !ok {
				return false
			}
		}
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
