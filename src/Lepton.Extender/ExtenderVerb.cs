namespace Lepton.Extender;

/// <summary>The four extender verbs kube-scheduler calls.</summary>
public enum ExtenderVerb
{
    /// <summary><c>POST {prefix}/filter</c>: which candidate nodes fit the pod.</summary>
    Filter,

    /// <summary><c>POST {prefix}/prioritize</c>: scores 0..10 for the candidate nodes.</summary>
    Prioritize,

    /// <summary><c>POST {prefix}/bind</c>: binds the pod to the chosen node.</summary>
    Bind,

    /// <summary><c>POST {prefix}/preempt</c>: narrows the dry run's victims to what the pod's cards need.</summary>
    Preempt,
}
