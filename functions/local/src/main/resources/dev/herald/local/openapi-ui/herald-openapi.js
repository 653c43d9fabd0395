// Swagger UI on Herald's own document; validatorUrl null keeps it from calling an outside validator.
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({url: '/openapi.yml', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null});
});
