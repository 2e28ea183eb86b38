namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>A CRD <c>additionalPrinterColumns</c> entry.</summary>
/// <param name="Name">Column header.</param>
/// <param name="Type">OpenAPI type: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c> or <c>date</c>.</param>
/// <param name="JsonPath">Simple JSONPath evaluated against each object, e.g. <c>.status.phase</c>.</param>
/// <param name="Format">Optional OpenAPI format.</param>
/// <param name="Description">Optional description.</param>
/// <param name="Priority">0 for the default view; greater values only with <c>-o wide</c>.</param>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string Format = "", string Description = "", int Priority = 0);
