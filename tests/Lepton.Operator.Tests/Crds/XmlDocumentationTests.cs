using System.Xml.Linq;
using Lepton.Operator.Crds;
using Lepton.Operator.Entities;

namespace Lepton.Operator.Tests.Crds;

public class XmlDocumentationTests
{
    [Fact]
    public void ToPlainText_InlineMarkup_IsReducedToText()
    {
        var summary = XElement.Parse("""
            <summary>
              Uses <c>gpus</c> and <see cref="P:Lepton.Operator.Entities.V1Alpha1LeptonJobSpec.Replicas"/>,
              or <see langword="null"/>; see <see href="https://kubernetes.io">the docs</see>.
            </summary>
            """);

        var sut = XmlDocumentation.ToPlainText(summary);

        Assert.Equal("Uses gpus and Replicas, or null; see the docs.", sut);
    }

    [Fact]
    public void ToPlainText_Paragraphs_AreSeparatedByBlankLines()
    {
        var summary = XElement.Parse("<summary>First.<para>Second   line\n  wrapped.</para></summary>");

        Assert.Equal("First.\n\nSecond line wrapped.", XmlDocumentation.ToPlainText(summary));
    }

    [Fact]
    public void Summary_EntityProperty_ReadsTheGeneratedDocumentationFile()
    {
        var sut = XmlDocumentation.For(typeof(V1Alpha1LeptonJobSpec).Assembly);

        var text = sut.Summary(typeof(V1Alpha1LeptonJobSpec).GetProperty(nameof(V1Alpha1LeptonJobSpec.Replicas))!);

        Assert.Equal("The number of identical replicas (pods), 1 to 10000. Defaults to 1.", text);
    }

    [Fact]
    public void Summary_UndocumentedMember_IsNull()
    {
        var sut = XmlDocumentation.For(typeof(V1Alpha1LeptonJobSpec).Assembly);

        Assert.Null(sut.Summary(typeof(XmlDocumentationTests)));
    }
}
