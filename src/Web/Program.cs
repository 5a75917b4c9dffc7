using Sweep.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddSweepWeb();

var app = builder.Build();
app.UseSweepWeb();
app.Run();

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
