using System.Data;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Npgsql;
using Sweep.Data;

namespace Sweep.Web.Api;

/// <summary>
/// A trial's checkpoint, copied from PostgreSQL to the response as it is read: the bytea column is read with
/// sequential access as a stream, so a checkpoint of hundreds of megabytes never sits in the web process's memory
/// (EF would materialize it as one array, and the response would copy it). The length is known before the first
/// byte, so clients see a Content-Length and their progress.
/// </summary>
public sealed class CheckpointFile(Guid trialId) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "application/octet-stream";

    private const int CopyBufferBytes = 81_920;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        var contexts = httpContext.RequestServices.GetRequiredService<IDbContextFactory<SweepDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT epoch, octet_length(data), data FROM trial_checkpoints WHERE trial_id = @trial";
        command.Parameters.AddWithValue("trial", trialId);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, ct);
        if (!await reader.ReadAsync(ct))
        {
            // Deleted between the endpoint's check and this read.
            await TypedResults.NotFound().ExecuteAsync(httpContext);
            return;
        }

        var epoch = reader.GetInt32(0);
        var response = httpContext.Response;
        httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        response.ContentType = ContentType;
        response.ContentLength = reader.GetInt32(1);
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"trial-{trialId}-epoch-{epoch}.ckpt");
        response.Headers.ContentDisposition = disposition.ToString();
        await using var data = await reader.GetStreamAsync(2, ct);
        await data.CopyToAsync(response.Body, CopyBufferBytes, ct);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(byte[]), [ContentType]));
}
