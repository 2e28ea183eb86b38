namespace Lepton.Scheduling.Fit;

/// <summary>The first extended resource (FPGA, ...) a pod asks for that a node cannot give it.</summary>
/// <param name="Name">The resource name.</param>
/// <param name="Needed">What the pod asks for.</param>
/// <param name="Have">The node's allocatable amount (0 when the node does not have the resource).</param>
/// <param name="Free">What is left of it on the node now.</param>
public readonly record struct ExtendedShortage(string Name, long Needed, long Have, long Free);
