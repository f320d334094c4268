/* The map view of the search page: an enhancement on top of the result list. The markers come
   from the list items' data attributes, so the map shows exactly what the list shows; when
   Leaflet or the tiles cannot load, the list is still there and a message says so. */
(function () {
  "use strict";

  function start() {
    var container = document.getElementById("activity-map");
    if (!container || typeof window.L === "undefined") {
      return;
    }
    var fallback = document.getElementById("activity-map-fallback");
    var items = document.querySelectorAll(".omzien-result[data-latitude]");
    container.hidden = false;
    if (fallback) {
      fallback.hidden = true;
    }
    // Leaflet's own labels are English; the page gives them in the page's language.
    var map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({
      zoomInTitle: container.dataset.zoomIn,
      zoomOutTitle: container.dataset.zoomOut
    }).addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", container.dataset.close);
      }
    });
    var tiles = L.tileLayer(container.dataset.tileUrl, {
      maxZoom: 19,
      attribution: container.dataset.attribution || ""
    }).addTo(map);
    var tileErrorShown = false;
    tiles.on("tileerror", function () {
      if (tileErrorShown || !fallback) {
        return;
      }
      tileErrorShown = true;
      fallback.textContent = container.dataset.tileError;
      fallback.hidden = false;
    });

    var bounds = [];
    items.forEach(function (item) {
      var point = [parseFloat(item.dataset.latitude), parseFloat(item.dataset.longitude)];
      if (isNaN(point[0]) || isNaN(point[1])) {
        return;
      }
      var marker = L.marker(point, { title: item.dataset.title, alt: item.dataset.title });
      var link = document.createElement("a");
      link.href = item.dataset.url;
      link.textContent = item.dataset.title;  // text, never HTML: titles come from providers
      marker.bindPopup(link);
      marker.addTo(map);
      bounds.push(point);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
    } else {
      map.setView([52.1, 5.3], 7);  // the Netherlands
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
