package fakemarket

// The Privacy & Security schema as Atlassian publishes it (the AppTrustInformation object a
// PUT carries, and the read-only properties a GET adds), written out field by field. The
// fake enforces it on every PUT; a test compares it with the published OpenAPI document
// when that document is at hand, so that this table cannot drift from it.

// Type is the JSON type a field of the schema takes.
type Type string

// The types the schema uses.
const (
	TypeBool    Type = "boolean"
	TypeString  Type = "string"
	TypeInt     Type = "integer" // int32 in the schema
	TypeNumber  Type = "number"  // int64 epoch milliseconds (properties.updatedAt)
	TypeStrings Type = "string[]"
	TypeObject  Type = "object"
	TypeObjects Type = "object[]"
	// TypeTri is the schema's tri-state: "type": "string" with the enum [true, false,
	// "NOT_APPLICABLE"], that is a JSON boolean or that one string.
	TypeTri Type = "tristate"
	// TypeText is the type pstab's reading gives a field the schema predates: a string, or
	// (for rich text) an object. Only permissionsJustification has it.
	TypeText Type = "string|object"
)

// Field is one field of the schema: its dotted path ("[]" marks a list's items), its
// type, its enum when it has one, and its format (uri) when it has one.
type Field struct {
	Path   string
	Type   Type
	Enum   []any
	Format string
	// Extra marks the two fields the live form has and the published schema predates
	// (permissionsJustification, requiresUsersToProvidePATs).
	Extra bool
}

// Groups are the seven groups a PUT body's object holds, and all it may hold.
var Groups = []string{"dataAccessAndStorage", "thirdPartyInformation", "logDetails", "dataResidency",
	"dataRetention", "security", "privacy"}

// ReadOnly are the keys a GET adds beside the groups; a PUT must not send them.
var ReadOnly = []string{"properties", "hasRestAPIExtension", "supportsConfigurableEgress"}

// ResidencyValues are the five values of dataResidency.isDataResidencySupported.
var ResidencyValues = []any{"STORED_IN_ATLASSIAN_N_DR_SUPPORTED", "APP_DOES_NOT_SUPPORT_DR",
	"STORED_IN_ATLASSIAN_N_DR_NOT_SUPPORTED", "STORED_EXTERNAL_TO_ATLASSIAN", "NOT_APPLICABLE"}

// triValues are the values a tri-state takes.
var triValues = []any{true, false, "NOT_APPLICABLE"}

// FormStatuses are the values of properties.formStatus.
var FormStatuses = []any{"SUBMITTED", "REJECTED", "APPROVED", "SAVED"}

// Schema returns every field of the PUT body's object, group by group, in the schema's
// order.
func Schema() []Field {
	return []Field{
		{Path: "dataAccessAndStorage", Type: TypeObject},
		{Path: "dataAccessAndStorage.isSameDataProcessedAndStored", Type: TypeBool},
		{Path: "dataAccessAndStorage.appProcessEUDOutsideAtlassian", Type: TypeBool},
		{Path: "dataAccessAndStorage.typesOfDataAccessed", Type: TypeStrings},
		{Path: "dataAccessAndStorage.appStoresEUDOutsideAtlassian", Type: TypeBool},
		{Path: "dataAccessAndStorage.typesOfDataStored", Type: TypeStrings},

		{Path: "thirdPartyInformation", Type: TypeObject},
		{Path: "thirdPartyInformation.isEndUserDataShared", Type: TypeBool},
		{Path: "thirdPartyInformation.dataSubProcessors", Type: TypeString, Format: "uri"},
		{Path: "thirdPartyInformation.thirdPartyDetails", Type: TypeObjects},
		{Path: "thirdPartyInformation.thirdPartyDetails[].name", Type: TypeString},
		{Path: "thirdPartyInformation.thirdPartyDetails[].link", Type: TypeString, Format: "uri"},
		{Path: "thirdPartyInformation.thirdPartyDetails[].purpose", Type: TypeString},
		{Path: "thirdPartyInformation.thirdPartyDetails[].thirdPartyCountries", Type: TypeStrings},

		{Path: "logDetails", Type: TypeObject},
		{Path: "logDetails.logEndUserData", Type: TypeBool},
		{Path: "logDetails.logProcessAndOrStoreEUDOutsideAtlassian", Type: TypeBool},
		{Path: "logDetails.logEUDShareWithThirdParty", Type: TypeBool},
		{Path: "logDetails.logsIntegralForAppFunctionality", Type: TypeBool},

		{Path: "dataResidency", Type: TypeObject},
		{Path: "dataResidency.isDataResidencySupported", Type: TypeString, Enum: ResidencyValues},
		{Path: "dataResidency.countriesWhereEndUserDataStored", Type: TypeStrings},
		{Path: "dataResidency.realmMigrationSupported", Type: TypeBool},
		{Path: "dataResidency.inScopeDataTypes", Type: TypeStrings},

		{Path: "dataRetention", Type: TypeObject},
		{Path: "dataRetention.isDataRetentionSupported", Type: TypeBool},
		{Path: "dataRetention.retentionDurationInDays", Type: TypeObject},
		{Path: "dataRetention.retentionDurationInDays.min", Type: TypeInt},
		{Path: "dataRetention.retentionDurationInDays.max", Type: TypeInt},
		{Path: "dataRetention.isCustomRetentionPeriodAllowed", Type: TypeBool},
		{Path: "dataRetention.isRetentionDurationIndefinite", Type: TypeBool},

		{Path: "security", Type: TypeObject},
		{Path: "security.securityContact", Type: TypeString},
		{Path: "security.publicSecurityPoliciesLink", Type: TypeString, Format: "uri"},
		{Path: "security.caiq", Type: TypeObject},
		{Path: "security.caiq.isCAIQCompleted", Type: TypeBool},
		{Path: "security.caiq.CAIQLiteLink", Type: TypeString, Format: "uri"},
		{Path: "security.isDiskEncryptionSupported", Type: TypeBool},
		{Path: "security.hasCompliantCertifications", Type: TypeBool},
		{Path: "security.compliantCertifications", Type: TypeStrings},
		{Path: "security.permissionsJustification", Type: TypeText, Extra: true},
		{Path: "security.requiresUsersToProvidePATs", Type: TypeBool, Extra: true},

		{Path: "privacy", Type: TypeObject},
		{Path: "privacy.privacyEnhancingTechniques", Type: TypeObject},
		{Path: "privacy.privacyEnhancingTechniques.arePrivacyEnhancingTechniquesSupported", Type: TypeBool},
		{Path: "privacy.privacyEnhancingTechniques.privacyEnhancingTechniquesSupported", Type: TypeStrings},
		{Path: "privacy.gdpr", Type: TypeObject},
		{Path: "privacy.gdpr.dataController", Type: TypeObject},
		{Path: "privacy.gdpr.dataController.isAppDataController", Type: TypeTri, Enum: triValues},
		{Path: "privacy.gdpr.dataController.endUserDataTypes", Type: TypeStrings},
		{Path: "privacy.gdpr.dataProcessor", Type: TypeObject},
		{Path: "privacy.gdpr.dataProcessor.isAppDataProcessor", Type: TypeTri, Enum: triValues},
		{Path: "privacy.gdpr.dataProcessor.endUserDataTypes", Type: TypeStrings},
		{Path: "privacy.gdpr.dataTransfer", Type: TypeObject},
		{Path: "privacy.gdpr.dataTransfer.isEndUserDataTransferredOutsideEEA", Type: TypeBool},
		{Path: "privacy.gdpr.dataTransfer.isTransferComplianceMechanismsAdhered", Type: TypeBool},
		{Path: "privacy.gdpr.dataTransfer.transferComplianceMechanismsAdhered", Type: TypeString},
		{Path: "privacy.ccpa", Type: TypeObject},
		{Path: "privacy.ccpa.business", Type: TypeObject},
		{Path: "privacy.ccpa.business.isAppBusiness", Type: TypeTri, Enum: triValues},
		{Path: "privacy.ccpa.business.endUserDataTypes", Type: TypeStrings},
		{Path: "privacy.ccpa.serviceProvider", Type: TypeObject},
		{Path: "privacy.ccpa.serviceProvider.isAppServiceProvider", Type: TypeTri, Enum: triValues},
		{Path: "privacy.ccpa.serviceProvider.endUserDataTypes", Type: TypeStrings},
		{Path: "privacy.dataProcessingAgreement", Type: TypeObject},
		{Path: "privacy.dataProcessingAgreement.isDPASupported", Type: TypeTri, Enum: triValues},
		{Path: "privacy.dataProcessingAgreement.link", Type: TypeString, Format: "uri"},
	}
}

// PropertiesSchema returns the read-only properties a GET adds (never part of a PUT).
func PropertiesSchema() []Field {
	return []Field{
		{Path: "properties", Type: TypeObject},
		{Path: "properties.updatedBy", Type: TypeString},
		{Path: "properties.updatedAt", Type: TypeNumber},
		{Path: "properties.formStatus", Type: TypeString, Enum: FormStatuses},
		{Path: "properties.jiraLinks", Type: TypeStrings, Format: "uri"},
	}
}

// fieldsByPath indexes Schema by path.
var fieldsByPath = func() map[string]Field {
	m := map[string]Field{}
	for _, f := range Schema() {
		m[f.Path] = f
	}
	return m
}()
