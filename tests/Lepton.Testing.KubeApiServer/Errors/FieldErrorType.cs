namespace Lepton.Testing.KubeApiServer.Errors;

/// <summary>The kinds of <c>field.Error</c> the test server produces.</summary>
internal enum FieldErrorType
{
    Invalid,
    Required,
    Forbidden,
    NotSupported,

    /// <summary>A value of the wrong JSON type (<c>FieldValueTypeInvalid</c>; printed as "Invalid value").</summary>
    TypeInvalid,
    TooLong,
    TooMany,
    Duplicate,
}
