// Erfaringsforum: progressive enhancements only. Every form and link works without this file.
"use strict";
