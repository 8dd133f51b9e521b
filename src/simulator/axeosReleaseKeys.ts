// Keys and JSON types that each AxeOS release writes in its system handlers, one `key:Type`
// per entry, transcribed from the reference lists (keys-v*.txt) so that the simulator stands alone.
// Type names are the firmware's cJSON calls: Number/Float -> number, String, Bool, Null, Item
// (object or array), Array. A key listed twice with two types is a nullable nested field.
export const AXEOS_RELEASE_KEYS: Readonly<Record<string, string>> = {
  '2.0': `
    ASICModel:String bestDiff:String coreVoltage:Number coreVoltageActual:Number current:Number
    fanSpeed:Number flipscreen:Number freeHeap:Number frequency:Number hashRate:Number
    invertscreen:Number power:Number runningPartition:String sharesAccepted:Number
    sharesRejected:Number ssid:String stratumPort:Number stratumURL:String stratumUser:String
    temp:Number uptimeSeconds:Number version:String voltage:Number wifiPass:String
    wifiStatus:String
  `,
  '2.2': `
    ASICModel:String asicCount:Number autofanspeed:Number bestDiff:String bestSessionDiff:String
    boardVersion:String coreVoltage:Number coreVoltageActual:Number current:Number fanrpm:Number
    fanspeed:Number flipscreen:Number freeHeap:Number frequency:Number hashRate:Number
    hostname:String invertfanpolarity:Number invertscreen:Number overheat_mode:Number
    power:Number runningPartition:String sharesAccepted:Number sharesRejected:Number
    smallCoreCount:Number ssid:String stratumPort:Number stratumURL:String stratumUser:String
    temp:Number uptimeSeconds:Number version:String voltage:Number vrTemp:Number
    wifiStatus:String
  `,
  '2.4': `
    ASICModel:String asicCount:Number autofanspeed:Number bestDiff:String bestSessionDiff:String
    boardVersion:String coreVoltage:Number coreVoltageActual:Number current:Number
    fallbackStratumPort:Number fallbackStratumURL:String fallbackStratumUser:String fanrpm:Number
    fanspeed:Number flipscreen:Number freeHeap:Number frequency:Number hashRate:Number
    hostname:String invertfanpolarity:Number invertscreen:Number isUsingFallbackStratum:Number
    macAddr:String overheat_mode:Number power:Number runningPartition:String
    sharesAccepted:Number sharesRejected:Number smallCoreCount:Number ssid:String
    stratumPort:Number stratumURL:String stratumUser:String temp:Number uptimeSeconds:Number
    version:String voltage:Number vrTemp:Number wifiStatus:String
  `,
  '2.6': `
    ASICModel:String apEnabled:Number asicCount:Number autofanspeed:Number bestDiff:String
    bestSessionDiff:String boardVersion:String coreVoltage:Number coreVoltageActual:Number
    current:Number fallbackStratumPort:Number fallbackStratumURL:String
    fallbackStratumUser:String fanrpm:Number fanspeed:Number flipscreen:Number freeHeap:Number
    frequency:Number hashRate:Number hostname:String idfVersion:String invertfanpolarity:Number
    invertscreen:Number isPSRAMAvailable:Number isUsingFallbackStratum:Number macAddr:String
    maxPower:Number networks:Item nominalVoltage:Number overclockEnabled:Number
    overheat_mode:Number power:Number power_fault:String runningPartition:String
    sharesAccepted:Number sharesRejected:Number sharesRejectedReasons:Item smallCoreCount:Number
    ssid:String stratumDiff:Number stratumPort:Number stratumURL:String stratumUser:String
    temp:Number uptimeSeconds:Number version:String voltage:Number vrTemp:Number wifiRSSI:Number
    wifiStatus:String
  `,
  '2.8': `
    ASICModel:String apEnabled:Number asicCount:Number autofanspeed:Number bestDiff:String
    bestSessionDiff:String boardVersion:String coreVoltage:Number coreVoltageActual:Number
    current:Number currentTimestamp:Number display:String displayTimeout:Number
    expectedHashrate:Number fallbackStratumPort:Number fallbackStratumURL:String
    fallbackStratumUser:String fanrpm:Number fanspeed:Number flipscreen:Number freeHeap:Number
    frequency:Number hashRate:Number hostname:String idfVersion:String invertscreen:Number
    isPSRAMAvailable:Number isUsingFallbackStratum:Number labels:Item macAddr:String
    maxPower:Number networks:Item nominalVoltage:Number overclockEnabled:Number
    overheat_mode:Number power:Number power_fault:String runningPartition:String
    sharesAccepted:Number sharesRejected:Number sharesRejectedReasons:Item smallCoreCount:Number
    ssid:String statistics:Array statsDuration:Number statsLimit:Number stratumDiff:Number
    stratumPort:Number stratumURL:String stratumUser:String temp:Number temptarget:Number
    uptimeSeconds:Number version:String voltage:Number vrTemp:Number wifiRSSI:Number
    wifiStatus:String
  `,
  '2.9': `
    ASICModel:String apEnabled:Number autofanspeed:Number axeOSVersion:String bestDiff:String
    bestSessionDiff:String boardVersion:String coreVoltage:Number coreVoltageActual:Number
    current:Number currentTimestamp:Number display:String displayTimeout:Number error:String
    expectedHashrate:Number fallbackStratumExtranonceSubscribe:Number fallbackStratumPort:Number
    fallbackStratumSuggestedDifficulty:Number fallbackStratumURL:String
    fallbackStratumUser:String fanrpm:Number fanspeed:Number freeHeap:Number frequency:Number
    hashRate:Number hostname:String idfVersion:String invertscreen:Number isPSRAMAvailable:Number
    isUsingFallbackStratum:Number labels:Item macAddr:String maxPower:Number networks:Item
    nominalVoltage:Number overclockEnabled:Number overheat_mode:Number poolDifficulty:Number
    power:Number power_fault:String responseTime:Number rotation:Number runningPartition:String
    sharesAccepted:Number sharesRejected:Number sharesRejectedReasons:Item smallCoreCount:Number
    ssid:String statistics:Array statsFrequency:Number stratumExtranonceSubscribe:Number
    stratumPort:Number stratumSuggestedDifficulty:Number stratumURL:String stratumUser:String
    temp:Number temptarget:Number uptimeSeconds:Number version:String voltage:Number
    vrTemp:Number wifiRSSI:Number wifiStatus:String
  `,
  '2.10': `
    ASICModel:String apEnabled:Number autofanspeed:Number axeOSVersion:String bestDiff:String
    bestSessionDiff:String boardVersion:String coreVoltage:Number coreVoltageActual:Number
    current:Number currentTimestamp:Number display:String displayTimeout:Number error:String
    expectedHashrate:Number fallbackStratumExtranonceSubscribe:Number fallbackStratumPort:Number
    fallbackStratumSuggestedDifficulty:Number fallbackStratumURL:String
    fallbackStratumUser:String fanrpm:Number fanspeed:Number freeHeap:Number frequency:Number
    hashRate:Number hostname:String idfVersion:String invertscreen:Number isPSRAMAvailable:Number
    isUsingFallbackStratum:Number labels:Item macAddr:String maxPower:Number minFanSpeed:Number
    networks:Item nominalVoltage:Number overclockEnabled:Number overheat_mode:Number
    poolDifficulty:Number power:Number power_fault:String responseTime:Number rotation:Number
    runningPartition:String sharesAccepted:Number sharesRejected:Number
    sharesRejectedReasons:Item smallCoreCount:Number ssid:String statistics:Array
    statsFrequency:Number stratumExtranonceSubscribe:Number stratumPort:Number
    stratumSuggestedDifficulty:Number stratumURL:String stratumUser:String temp2:Number
    temp:Number temptarget:Number uptimeSeconds:Number version:String voltage:Number
    vrTemp:Number wifiRSSI:Number wifiStatus:String
  `,
  '2.11': `
    ASICModel:String apEnabled:Number autofanspeed:Number axeOSVersion:String bestDiff:Number
    bestSessionDiff:Number blockFound:Number blockHeight:Number boardVersion:String
    coreVoltage:Number coreVoltageActual:Number current:Number currentTimestamp:Number
    display:String displayTimeout:Number error:String errorPercentage:Number
    expectedHashrate:Number fallbackStratumExtranonceSubscribe:Number fallbackStratumPort:Number
    fallbackStratumSuggestedDifficulty:Number fallbackStratumURL:String
    fallbackStratumUser:String fan2rpm:Number fanrpm:Number fanspeed:Number freeHeap:Number
    freeHeapInternal:Number freeHeapSpiram:Number frequency:Number hashRate:Number
    hashrateMonitor:Item hostname:String idfVersion:String invertscreen:Number ipv4:String
    ipv6:String isPSRAMAvailable:Number isUsingFallbackStratum:Number labels:Item macAddr:String
    manualFanSpeed:Number maxPower:Number minFanSpeed:Number networkDifficulty:Number
    networks:Item nominalVoltage:Number overclockEnabled:Number overheat_mode:Number
    poolAddrFamily:Number poolDifficulty:Number power:Number power_fault:String
    responseTime:Number rotation:Number runningPartition:String scriptsig:String
    sharesAccepted:Number sharesRejected:Number sharesRejectedReasons:Item smallCoreCount:Number
    ssid:String statistics:Array statsFrequency:Number stratumExtranonceSubscribe:Number
    stratumPort:Number stratumSuggestedDifficulty:Number stratumURL:String stratumUser:String
    temp2:Number temp:Number temptarget:Number uptimeSeconds:Number version:String voltage:Number
    vrTemp:Number wifiRSSI:Number wifiStatus:String
  `,
  '2.12': `
    ASICModel:String apEnabled:Number autofanspeed:Number axeOSVersion:String bestDiff:Number
    bestSessionDiff:Number blockFound:Number blockHeight:Number boardVersion:String
    coreVoltage:Number coreVoltageActual:Number current:Float currentTimestamp:Number
    display:String displayTimeout:Number error:String errorPercentage:Float
    expectedHashrate:Float fallbackStratumExtranonceSubscribe:Number fallbackStratumPort:Number
    fallbackStratumSuggestedDifficulty:Number fallbackStratumURL:String
    fallbackStratumUser:String fan2rpm:Number fanrpm:Number fanspeed:Float freeHeap:Number
    freeHeapInternal:Number freeHeapSpiram:Number frequency:Number hashRate:Float
    hashRate_10m:Float hashRate_1h:Float hashRate_1m:Float hashrateMonitor:Item hostname:String
    idfVersion:String invertscreen:Number ipv4:String ipv6:String isPSRAMAvailable:Number
    isUsingFallbackStratum:Number labels:Item macAddr:String manualFanSpeed:Number
    maxPower:Number minFanSpeed:Number networkDifficulty:Number networks:Item
    nominalVoltage:Number overclockEnabled:Number overheat_mode:Number poolAddrFamily:Number
    poolDifficulty:Number power:Float power_fault:String resetReason:String responseTime:Number
    rotation:Number runningPartition:String scriptsig:String sharesAccepted:Number
    sharesRejected:Number sharesRejectedReasons:Item smallCoreCount:Number ssid:String
    statistics:Array statsFrequency:Number stratumExtranonceSubscribe:Number stratumPort:Number
    stratumSuggestedDifficulty:Number stratumURL:String stratumUser:String temp2:Float temp:Float
    temptarget:Number uptimeSeconds:Number version:String voltage:Float vrTemp:Float
    wifiRSSI:Number wifiStatus:String
  `,
  '2.13': `
    ASICModel:String apEnabled:Number autofanspeed:Number axeOSVersion:String bestDiff:Number
    bestSessionDiff:Number blockFound:Number blockHeight:Number boardVersion:String
    coinbaseOutputs:Item coinbaseValueTotalSatoshis:Number coinbaseValueUserSatoshis:Number
    coreVoltage:Number coreVoltageActual:Number current:Float currentTimestamp:Number
    display:String displayTimeout:Number error:String errorPercentage:Float
    expectedHashrate:Float fallbackStratumCert:String fallbackStratumDecodeCoinbase:Number
    fallbackStratumExtranonceSubscribe:Number fallbackStratumPort:Number
    fallbackStratumSuggestedDifficulty:Number fallbackStratumTLS:Number fallbackStratumURL:String
    fallbackStratumUser:String fan2rpm:Number fanrpm:Number fanspeed:Float freeHeap:Number
    freeHeapInternal:Number freeHeapSpiram:Number frequency:Float hashRate:Float
    hashRate_10m:Float hashRate_1h:Float hashRate_1m:Float hashrateMonitor:Item hostname:String
    idfVersion:String invertscreen:Number ipv4:String ipv6:String isPSRAMAvailable:Number
    isUsingFallbackStratum:Number labels:Item macAddr:String manualFanSpeed:Number
    maxPower:Number message:String minFanSpeed:Number networkDifficulty:Number networks:Item
    nominalVoltage:Number overclockEnabled:Number overheat_mode:Number poolConnectionInfo:String
    poolDifficulty:Number power:Float power_fault:String resetReason:String responseTime:Float
    rotation:Number runningPartition:String scriptsig:String sharesAccepted:Number
    sharesRejected:Number sharesRejectedReasons:Item showNewBlock:Bool smallCoreCount:Number
    ssid:String statistics:Array statsFrequency:Number stratumCert:String
    stratumDecodeCoinbase:Number stratumExtranonceSubscribe:Number stratumPort:Number
    stratumSuggestedDifficulty:Number stratumTLS:Number stratumURL:String stratumUser:String
    temp2:Float temp:Float temptarget:Number uptimeSeconds:Number version:String voltage:Float
    vrTemp:Float wifiRSSI:Number wifiStatus:String
  `,
  '2.14': `
    ASICModel:String actualFrequency:Float address:String apEnabled:Number autofanspeed:Number
    axeOSVersion:String bestDiff:Number bestSessionDiff:Number blockFound:Number
    blockHeight:Number blockSignals:Item boardVersion:String coinbaseOutputs:Item
    coinbaseValueTotalSatoshis:Number coinbaseValueUserSatoshis:Number coreVoltage:Number
    coreVoltageActual:Float count:Number cpuUsage:Float current:Float currentTimestamp:Number
    display:String displayTimeout:Number error:String errorPercentage:Float
    expectedHashrate:Float fallbackStratumCert:String fallbackStratumDecodeCoinbase:Bool
    fallbackStratumExtranonceSubscribe:Bool fallbackStratumPort:Number
    fallbackStratumProtocol:String fallbackStratumSuggestedDifficulty:Number
    fallbackStratumTLS:Number fallbackStratumURL:String fallbackStratumUser:String
    fallbackStratumV2AuthorityPubkey:String fallbackStratumV2ChannelType:String fan2rpm:Number
    fanrpm:Number fanspeed:Number freeHeap:Number freeHeapInternal:Number freeHeapSpiram:Number
    frequency:Float hardware_fault:String hashRate:Float hashRate_10m:Float hashRate_1h:Float
    hashRate_1m:Float hashrateMonitor:Item hostname:String idfVersion:String invertscreen:Number
    ipv4:String ipv6:String isPSRAMAvailable:Number isUsingFallbackStratum:Number labels:Item
    macAddr:String manualFanSpeed:Number maxPower:Number message:String minFanSpeed:Number
    miningPaused:Bool networkDifficulty:Number networks:Item nominalVoltage:Number
    overclockEnabled:Number overheat_mode:Number poolConnectionInfo:String poolDifficulty:Number
    power:Float power_fault:String processTime:Float resetReason:String responseShareBatch:Number
    responseTime:Float rotation:Number runningPartition:String scriptsig:String
    sharesAccepted:Number sharesRejected:Number sharesRejectedReasons:Item showNewBlock:Bool
    smallCoreCount:Number ssid:String statistics:Array statsFrequency:Number statsLimit:Number
    stratumCert:String stratumDecodeCoinbase:Bool stratumExtranonceSubscribe:Bool
    stratumPort:Number stratumProtocol:String stratumSuggestedDifficulty:Number stratumTLS:Number
    stratumURL:String stratumUser:String stratumV2AuthorityPubkey:String
    stratumV2ChannelType:String temp2:Float temp:Float temptarget:Number uptimeSeconds:Number
    value:Number version:String voltage:Float vrTemp:Float wifiRSSI:Number wifiStatus:String
  `,
  '2.15': `
    ASICModel:String actualFrequency:Float address:String apEnabled:Number autofanspeed:Number
    axeOSVersion:String bestDiff:Number bestSessionDiff:Number blockFound:Number
    blockHeight:Number blockSignals:Item boardVersion:String coinbaseOutputs:Item
    coinbaseValueTotalSatoshis:Number coinbaseValueUserSatoshis:Number compileDate:Null
    compileDate:String compileTime:Null compileTime:String coreVoltage:Number
    coreVoltageActual:Float count:Number cpuUsage:Float current:Float currentTimestamp:Number
    display:String displayTimeout:Number error:String errorPercentage:Float
    expectedHashrate:Float fallbackStratumCert:String fallbackStratumDecodeCoinbase:Bool
    fallbackStratumExtranonceSubscribe:Bool fallbackStratumPort:Number
    fallbackStratumProtocol:String fallbackStratumSuggestedDifficulty:Number
    fallbackStratumTLS:Number fallbackStratumURL:String fallbackStratumUser:String
    fallbackStratumV2AuthorityPubkey:String fallbackStratumV2ChannelType:String fan2rpm:Number
    fanrpm:Number fanspeed:Number freeHeap:Number freeHeapInternal:Number freeHeapSpiram:Number
    frequency:Float fullHostname:String hardware_fault:String hashRate:Float hashRate_10m:Float
    hashRate_1h:Float hashRate_1m:Float hashrateMonitor:Item hostname:String id:Number
    idfVersion:String invertscreen:Number ipv4:String ipv6:String isCurrent:Bool isFactory:Bool
    isPSRAMAvailable:Number isUsingFallbackStratum:Number label:String labels:Item macAddr:String
    manualFanSpeed:Number maxAllocHeap:Number maxPower:Number mdnsHostname:String message:String
    minFanSpeed:Number minFreeHeap:Number miningPaused:Bool networkDifficulty:Number
    networks:Item nominalVoltage:Number overclockEnabled:Number overheat_mode:Number
    partitions:Item poolConnectionInfo:String poolDifficulty:Number pools:Item power:Float
    power_fault:String primaryPoolIndex:Number processTime:Float resetReason:String
    responseShareBatch:Number responseTime:Float rotation:Number runningPartition:String
    scriptsig:String secondaryPoolIndex:Number sharesAccepted:Number sharesPending:Number
    sharesRejected:Number sharesRejectedReasons:Item showNewBlock:Bool smallCoreCount:Number
    ssid:String statistics:Array statsFrequency:Number statsLimit:Number stratumCert:String
    stratumDecodeCoinbase:Bool stratumExtranonceSubscribe:Bool stratumPassword:String
    stratumPort:Number stratumProtocol:String stratumSuggestedDifficulty:Number stratumTLS:Number
    stratumURL:String stratumUser:String stratumV2AuthorityPubkey:String
    stratumV2ChannelType:String stratumV2RequireAuth:Bool temp2:Float temp:Float
    temptarget:Number totalHashes:Number totalLog2Work:Number totalUptimeSeconds:Number
    uptimeSeconds:Number usagePercent:Null usagePercent:Number useCustomWWW:Number
    useFallbackStratum:Number value:Number version:Null version:String voltage:Float vrTemp:Float
    wifiRSSI:Number wifiStatus:String workReceived:Number
  `,
};
