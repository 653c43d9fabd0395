/**
 * The operators' console, served by the local runtime beside the API.
 * <p>
 * Why it is built this way: pages are rendered on the server by Handlebars, the engine Herald
 * already renders mail with (one template language, HTML-escaping every {@code {{value}}}), and the
 * few parts that change in place (a message's live counts, the compose preview) are fetched by htmx,
 * served from its webjar. So the console is compiled, tested and packaged by the same Maven build as
 * everything else, with no front-end tool chain, no bundle to build and nothing from a CDN; and it
 * needs no inline script, so every page can carry a Content-Security-Policy that runs only Herald's
 * own files. (Micronaut Views would have added a second template setup for the same engine; a
 * single-page application, a Node build.)
 * <p>
 * The pages call the core's services with the caller a token names, exactly as the API's
 * controllers do, so the access rules are the same ones: a sender sees its own messages and
 * schedules; the admin pages are refused to it by the services themselves. A token is pasted once
 * and kept on the server ({@link dev.herald.console.ConsoleSessions}); every form carries the
 * session's CSRF secret ({@link dev.herald.console.ConsoleRequests}).
 */
package dev.herald.console;
