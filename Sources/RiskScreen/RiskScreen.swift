// The library product: the stages a program that links RiskScreen uses, in the order data flows through them.
// Each stage is a target of its own that imports only earlier ones (see "Architecture" in the README).
@_exported public import RiskScreenRecords
@_exported public import RiskScreenReplay
@_exported public import RiskScreenRules
@_exported public import RiskScreenScoring
@_exported public import RiskScreenSupport
@_exported public import RiskScreenYAML
